import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { GoalChart } from '../components/GoalChart.tsx';
import { RangeComparison } from '../components/RangeComparison.tsx';
import { BreakdownChart } from '../components/BreakdownChart.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { formatDate, formatValue } from '../lib/format.ts';
import { NoteForm, NoteList } from '../components/notes/Notes.tsx';
import { BREAKDOWN_TOP, goalQuery, seriesQuery } from '../lib/queries.ts';
import { useDateRange } from '../lib/useDateRange.ts';
import { TermList } from '../components/Term.tsx';
import type { TermId } from '../lib/glossary.ts';
import { sameWords } from '../lib/sameWords.ts';
import { useUrlState } from '../lib/urlState.ts';
import { RangeBar } from '../components/RangeBar.tsx';
import { Drivers, DriversLead } from '../components/Drivers.tsx';
import { Checkins } from '../components/Checkins.tsx';
import { RouteBack } from '../components/RouteBack.tsx';
import { DeleteGoal, GoalForm, type GoalFields } from '../components/GoalForm.tsx';
import { useState } from 'react';

const GOAL_VIEW = { by: '' };

/** What each departure from the trend is, in the words the page uses. */
const SHIFT_TITLE: Record<string, string> = {
  spike: 'One-period spike (short, like a campaign burst)',
  level_shift: 'Level shift (durable)',
  unconfirmed: 'Unconfirmed (one period so far)',
};

/** Edit and delete the goal (an analyst token): the form opens in place. */
function GoalEdit({ g }: { g: GoalFields & { plan: { milestones: Array<{ date: string; target: number }> } | null } }) {
  const [editing, setEditing] = useState(false);
  return (
    <>
      <div className="goal-actions">
        <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>
          Edit goal
        </button>
        <DeleteGoal id={g.id} />
      </div>
      {editing && (
        <GoalForm
          initial={{
            id: g.id,
            metric: g.metric,
            target: g.target,
            due: g.due,
            start: g.start,
            where: g.where,
            owner: g.owner,
            objective: g.objective,
            note: g.note,
            milestones: g.milestones,
            min_n: g.min_n,
          }}
          onDone={() => setEditing(false)}
        />
      )}
    </>
  );
}

type GoalAnswer = NonNullable<Awaited<ReturnType<NonNullable<ReturnType<typeof goalQuery>['queryFn']>>>>;

/** The statistical words this page uses, explained under it. */
const GOAL_TERMS: TermId[] = [
  'arrival-probability',
  'forecast-course',
  'pace-needed',
  'heading',
  'interval',
  'left-out',
  'backtest',
];

/** Position, progress, heading, pace needed, the forecast's course and the chance, side by side. */
function GoalFacts({ g }: { g: GoalAnswer }) {
  // After the due date the goal is judged on what its due period closed at: no chance, no plan ahead.
  const closed = g.status === 'met' || g.status === 'missed';
  return (
    <dl className="facts">
      <div>
        <dt>Position</dt>
        <dd>
          {g.position ? (
            <>
              {formatValue(g.unit, g.position.value)}{' '}
              <span className="muted">
                ({formatDate(g.position.period, 'month')}, n = {g.position.n.toLocaleString()})
              </span>
            </>
          ) : (
            '—'
          )}
        </dd>
      </div>
      <div>
        <dt>Baseline</dt>
        <dd>
          {g.baseline ? (
            <>
              {formatValue(g.unit, g.baseline.value)}{' '}
              <span className="muted">({formatDate(g.baseline.period, 'month')})</span>
            </>
          ) : (
            '—'
          )}
        </dd>
      </div>
      <div>
        <dt>Progress</dt>
        <dd data-testid="progress">
          {g.progress !== null
            ? `${Math.round(g.progress * 100)}% of the way`
            : g.baseline
              ? 'past the target from the start'
              : '—'}
        </dd>
      </div>
      <div>
        <dt>Heading (last 12 months)</dt>
        <dd>
          {g.rates ? `${g.rates.heading}/month (95% CI ${g.rates.heading_ci[0]} to ${g.rates.heading_ci[1]})` : '—'}
        </dd>
      </div>
      <div>
        <dt>Pace needed</dt>
        <dd data-testid="pace-needed">
          {!g.rates?.pace || g.pace_needed_per_month === null
            ? '—'
            : g.pace_needed_per_month * (g.direction === 'up' ? 1 : -1) <= 0
              ? // The forecast's level is past the target: a "pace" of −0.7 a month read as a need to fall.
                `none: its level is past the target (it could ${g.direction === 'up' ? 'fall' : 'rise'} ` +
                `${g.rates.pace.replace(/^[+−-]\u2060?/, '')} a month and still meet it)`
              : `${g.rates.pace}/month`}
        </dd>
      </div>
      <div>
        <dt>Forecast course</dt>
        <dd data-testid="forecast-course">
          {g.rates?.course && g.rates.course_range
            ? `${g.rates.course}/month to the due date (${g.rates.course_range[0]} to ${g.rates.course_range[1]})`
            : '—'}
        </dd>
      </div>
      <div>
        <dt>Chance of meeting it</dt>
        <dd data-testid="probability">
          {closed ? (
            `none left to reckon: the due period closed (${g.status})`
          ) : (
            <>
              {g.arrival_probability === null ? '—' : `${Math.round(g.arrival_probability * 100)}%`}{' '}
              <span className="muted">(on course at 70% or more, off course at 30% or less)</span>
            </>
          )}
        </dd>
      </div>
      {g.plan && !closed && (
        <div>
          <dt>Against plan</dt>
          <dd data-testid="plan">{g.plan.words}</dd>
        </div>
      )}
      <div>
        <dt>At the due date</dt>
        <dd data-testid="at-due">
          {closed && g.projection
            ? `${formatValue(g.unit, g.projection.value)} (closed)`
            : g.projection
              ? `${formatValue(g.unit, g.projection.value)} (${formatValue(g.unit, g.projection.interval[0])} – ` +
                `${formatValue(g.unit, g.projection.interval[1])})`
              : '—'}
        </dd>
      </div>
      <div>
        <dt>Arrival</dt>
        <dd>{g.arrival.date ? formatDate(g.arrival.date, 'month') : g.arrival.reason}</dd>
      </div>
      <div>
        <dt>Seasonality</dt>
        <dd className="muted">{g.heading?.seasonality.note ?? '—'}</dd>
      </div>
    </dl>
  );
}

export default function GoalPage({ id }: { id: string }) {
  const [view, setView] = useUrlState(GOAL_VIEW);
  const range = useDateRange();
  const goal = useQuery(goalQuery(id));
  const breakdown = useQuery({
    ...seriesQuery(goal.data?.metric ?? '', {
      by: view.by,
      top: BREAKDOWN_TOP,
      where: Object.entries(goal.data?.where ?? {}).map(([k, v]) => `${k}=${v}`),
      from: range.span?.from,
      to: range.span?.to,
    }),
    enabled: Boolean(goal.data && view.by && range.span),
  });
  if (goal.isPending) return <Loading what="goal" />;
  if (goal.isError) return <ErrorState error={goal.error} retry={() => goal.refetch()} />;
  const g = goal.data;
  const where = Object.entries(g.where)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const summary =
    `${g.label}${where ? ` (${where})` : ''}: latest ${formatValue(g.unit, g.position?.value)} ` +
    `(${formatDate(g.position?.period, 'month')}), goal ${formatValue(g.unit, g.target)} by ${formatDate(g.due)}. ` +
    `${g.reading}`;
  return (
    <section aria-labelledby="goal-title">
      <p>
        <Link href="/">← All goals</Link>
      </p>
      <div className="page-head">
        <h1 id="goal-title">
          {g.label}
          {where ? ` (${where})` : ''}
        </h1>
        <StatusBadge status={g.status} />
      </div>
      <GoalEdit g={g} />
      <p className="reading" data-testid="reading">
        {g.reading}
      </p>
      <DriversLead goal={g.id} />
      {(!sameWords(g.status_reason, g.reading) || g.note) && (
        <p className="muted">
          {sameWords(g.status_reason, g.reading)
            ? g.note
            : `${g.status_reason.charAt(0).toUpperCase() + g.status_reason.slice(1)}.${g.note ? ` ${g.note}` : ''}`}
        </p>
      )}
      {g.forecast_method && (
        <details className="method" data-testid="forecast-method">
          <summary>How the forecast was made</summary>
          <p>{g.forecast_method.method}.</p>
          <ul>
            {g.forecast_method.models.map((m) => (
              <li key={m.name}>
                {m.name}: weight {Math.round(m.weight * 100)}%
              </li>
            ))}
            {g.forecast_method.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </details>
      )}
      {g.shift.kind !== 'none' && (
        <p className={`shift shift-${g.shift.kind}`} data-testid="shift">
          <strong>{SHIFT_TITLE[g.shift.kind]}:</strong> {g.shift.message}
        </p>
      )}
      <GoalFacts g={g} />
      <RangeBar range={range} note="the forecast always reads the whole history" />
      {!g.series.some((p) => p.value !== null) ? (
        <Empty>
          <span data-testid="chart-empty">
            Nothing to draw yet: {g.label} has no value
            {Object.keys(g.where).length ? ' within this goal’s filter' : ''} (see the reading above).
          </span>
        </Empty>
      ) : (
        <GoalChart
          from={range.span?.from}
          unit={g.unit}
          label={g.label}
          target={g.target}
          due={g.due}
          series={g.series}
          trend={g.trend}
          band={g.band}
          plan={g.plan?.path}
          annotations={g.annotations}
          summary={summary}
          unfinishedNamed={g.unfinished !== undefined}
          leftOut={g.left_out}
        />
      )}
      <RangeComparison points={g.series} unit={g.unit} direction={g.direction} range={range} />
      <Drivers goal={g.id} />
      {(g.status === 'drifting' || g.status === 'off_course') && <RouteBack goal={g.id} unit={g.unit} />}
      {g.backtest?.some((b) => b.n > 0) && (
        <div className="table-wrap">
          <table className="table" data-testid="backtest">
            <caption>Has the forecast been right? Forecasts made from this goal's own past, against what came</caption>
            <thead>
              <tr>
                <th scope="col">Made ahead</th>
                <th scope="col" className="num">
                  Forecasts
                </th>
                <th scope="col" className="num">
                  Mean miss
                </th>
                <th scope="col" className="num">
                  Inside the 95% range
                </th>
              </tr>
            </thead>
            <tbody>
              {g.backtest.map((b) => (
                <tr key={b.horizon_months}>
                  <th scope="row">{b.horizon_months} months</th>
                  <td className="num">{b.n}</td>
                  <td className="num">{b.mae === null ? '—' : formatValue(g.unit, b.mae)}</td>
                  <td className="num">{b.coverage === null ? '—' : `${Math.round(b.coverage * 100)}%`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <TermList ids={GOAL_TERMS} />
      <Checkins goal={g.id} probability={g.arrival_probability} />
      <h2>Notes</h2>
      <NoteList notes={g.annotations} />
      <NoteForm metric={g.metric} goal={g.id} />
      <h2>Breakdown</h2>
      <label>
        Break down by{' '}
        <select value={view.by} onChange={(e) => setView({ by: e.target.value })}>
          <option value="">Choose a dimension</option>
          {g.dimensions.map((d) => (
            <option key={d} value={d}>
              {d.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
      </label>
      {view.by && breakdown.isPending && <Loading what="breakdown" />}
      {view.by && breakdown.isError && <ErrorState error={breakdown.error} />}
      {view.by && breakdown.data && <BreakdownChart series={breakdown.data} target={g.target} />}
    </section>
  );
}
