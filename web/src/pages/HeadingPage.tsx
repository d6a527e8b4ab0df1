import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { Sparkline, sparkPoints } from '../components/Sparkline.tsx';
import { TermList } from '../components/Term.tsx';
import { sameWords } from '../lib/sameWords.ts';
import { sinceLast } from '../lib/sinceLast.ts';
import { StatusBadge, statusWords } from '../components/StatusBadge.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { formatDate, formatValue } from '../lib/format.ts';
import { goalDriversQuery, goalsQuery, latestCheckinsQuery } from '../lib/queries.ts';
import { GoalForm } from '../components/GoalForm.tsx';
import { useState } from 'react';
import { useUrlState } from '../lib/urlState.ts';

const FILTERS = { owner: '', objective: '', status: '' };
const ARROW = (slope: number | undefined, direction: string) => {
  if (slope === undefined) return '·';
  const good = direction === 'up' ? slope > 0 : slope < 0;
  return `${slope > 0 ? '↗' : slope < 0 ? '↘' : '→'}${good ? '' : ''}`;
};

type Goal = NonNullable<Awaited<ReturnType<NonNullable<ReturnType<typeof goalsQuery>['queryFn']>>>>['goals'][number];

/**
 * The forecast's own course against the pace needed: the two that decide the chance and the status,
 * so the card cannot say "doing more than needed" beside "off course". The last 12 months' slope
 * (the heading) is context on the goal's page; a recent surge the forecast does not carry forward
 * would read as a contradiction here. Without a forecast course (the due date passed), the heading.
 */
function paceText(g: Goal): string {
  const rates = g.rates!;
  const doing = rates.course ? `Doing ${rates.course}/month on its forecast` : `Doing ${rates.heading}/month`;
  if (
    g.status === 'arrived' ||
    (g.pace_needed_per_month !== null && g.pace_needed_per_month * (g.direction === 'up' ? 1 : -1) <= 0)
  )
    return `${doing}; already at the target's level`;
  return `${doing}, needs ${rates.pace ? `${rates.pace}/month` : '—'}`;
}

/**
 * The card's pace line: the course against the pace needed while the goal is open; nothing once its
 * due period has closed (met or missed: no pace is needed any more); without a reading, the reason,
 * unless the card's sentence already says it.
 */
function paceLine(g: Goal): string | null {
  if (g.status === 'met' || g.status === 'missed') return null;
  if (g.rates) return paceText(g);
  return sameWords(g.status_reason, g.summary) ? null : g.status_reason;
}

const TRIAGE = ['off_course', 'missed', 'drifting', 'no_signal', 'on_course', 'arrived', 'met'];

/**
 * The goals a filter keeps, in triage order: what needs attention first (off course, then
 * drifting), least likely first within each. A status the API does not know (a hand-edited link)
 * filters nothing, and the page says so.
 */
function triaged(goals: Goal[], balanceKeys: string[], filters: typeof FILTERS) {
  const knownStatuses = balanceKeys.filter((k) => k !== 'goals');
  const badStatus = filters.status && !knownStatuses.includes(filters.status) ? filters.status : null;
  const status = badStatus ? '' : filters.status;
  const shown = goals
    .filter(
      (g) =>
        (!filters.owner || g.owner === filters.owner) &&
        (!filters.objective || g.objective === filters.objective) &&
        (!status || g.status === status),
    )
    .map((g, i) => ({ g, i }))
    .sort(
      (a, b) =>
        TRIAGE.indexOf(a.g.status) - TRIAGE.indexOf(b.g.status) ||
        (a.g.arrival_probability ?? 1) - (b.g.arrival_probability ?? 1) ||
        a.i - b.i,
    )
    .map(({ g }) => g);
  return { shown, badStatus, status };
}

type Checkin = { confidence: number; text: string };

/**
 * Why a drifting or off-course goal moved, in a line: the last three months' drivers, else the last
 * month's. Fetched per card after the cards show (the first screen never waits for it).
 */
function CardWhy({ goal }: { goal: string }) {
  const quarter = useQuery(goalDriversQuery(goal, 3));
  const month = useQuery({ ...goalDriversQuery(goal, 1), enabled: quarter.isSuccess && !quarter.data.lead });
  const lead = quarter.data?.lead ?? month.data?.lead;
  if (!lead) return null;
  return (
    <p className="card-why" data-testid="card-why">
      Why: {lead}
    </p>
  );
}

/** One goal's card: status, position against the goal, change since last period, odds, pace, owner's word. */
function GoalCard({ g, checkin }: { g: Goal; checkin: Checkin | undefined }) {
  const change = sinceLast(g);
  const pace = paceLine(g);
  const whereText = Object.entries(g.where)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return (
    <li className={`card card-${g.status}`} data-testid="goal-card" data-goal={g.id}>
      <div className="card-top">
        <StatusBadge status={g.status} />
        <span className="muted">
          {g.objective}
          {g.owner ? ` · ${g.owner}` : ''}
        </span>
      </div>
      <h2>
        <Link href={`/goals/${g.id}`}>
          {g.label}
          {whereText ? ` (${whereText})` : ''}
        </Link>
      </h2>
      <p className="position">
        <span className="big">{formatValue(g.unit, g.position?.value)}</span>{' '}
        <span className="muted">
          → goal {formatValue(g.unit, g.target)} by {formatDate(g.due, 'month')}
        </span>
      </p>
      {change && (
        <p
          className={`change ${change.better === null ? '' : change.better ? 'better' : 'worse'}`}
          data-testid="since-last"
        >
          {change.text}
        </p>
      )}
      <p className="odds" data-testid="odds">
        {g.summary}
      </p>
      {(g.status === 'off_course' || g.status === 'drifting') && <CardWhy goal={g.id} />}
      {checkin && (
        <p className="muted" data-testid="card-checkin">
          Owner: {checkin.confidence}% confident: {checkin.text}
        </p>
      )}
      {pace && (
        <p className="pace" data-testid="pace">
          <span aria-hidden="true" className="arrow">
            {ARROW(g.course?.per_month ?? g.heading?.slope_per_month, g.direction)}
          </span>{' '}
          {pace}
        </p>
      )}
      <p className="muted arrival">
        {g.status === 'arrived'
          ? 'At or past the target.'
          : g.arrival.date
            ? g.position && g.arrival.date.slice(0, 7) <= g.position.period.slice(0, 7)
              ? 'Reaching the target about now, on its forecast.'
              : `Arrives around ${formatDate(g.arrival.date, 'month')} on its forecast.`
            : `No arrival date: ${g.arrival.reason}.`}
      </p>
      {g.shift.kind !== 'none' && (
        <p className="shift">
          {g.shift.kind === 'spike'
            ? 'One-period spike'
            : g.shift.kind === 'unconfirmed'
              ? 'Unconfirmed'
              : 'Level shift'}
          : {g.shift.message}
        </p>
      )}
      <Sparkline
        points={sparkPoints(g.series, g.left_out)}
        target={g.target}
        label={
          `${g.label}: last ${Math.min(18, g.series.length)} months, latest ` +
          `${formatValue(g.unit, g.position?.value)}, goal ${formatValue(g.unit, g.target)}`
        }
      />
    </li>
  );
}

/** "New goal": the form, opened from the Heading. */
function NewGoal() {
  const [open, setOpen] = useState(false);
  return (
    <div className="new-goal">
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
        New goal
      </button>
      {open && <GoalForm onDone={() => setOpen(false)} />}
    </div>
  );
}

export default function HeadingPage() {
  const [filters, setFilters] = useUrlState(FILTERS);
  const goals = useQuery(goalsQuery());
  // The cards show each owner's latest word; the page never waits for it.
  const checkins = useQuery(latestCheckinsQuery());
  const checkinOf = new Map((checkins.data?.checkins ?? []).map((c) => [c.goal, c]));
  if (goals.isPending) return <Loading what="goals" />;
  if (goals.isError) return <ErrorState error={goals.error} retry={() => goals.refetch()} />;
  const { balance, as_of } = goals.data;
  const owners = [...new Set(goals.data.goals.map((g) => g.owner).filter((o): o is string => Boolean(o)))].sort();
  const { shown, badStatus, status } = triaged(goals.data.goals, Object.keys(balance.business), filters);
  const good = (b: typeof balance.business) => b.on_course + b.arrived;
  return (
    <section aria-labelledby="heading-title">
      <div className="page-head">
        <h1 id="heading-title">Heading</h1>
        <NewGoal />
      </div>
      <p className="muted intro">Are we heading where we want to go? Data as of {formatDate(as_of)}.</p>
      <section className="balance" aria-label="Business and community balance">
        {(['business', 'community'] as const).map((k) => (
          <div key={k} className="balance-item" data-testid={`balance-${k}`}>
            <strong>{balance[k].goals}</strong> {k} goal{balance[k].goals === 1 ? '' : 's'}: {good(balance[k])} on
            course or arrived, {balance[k].drifting} drifting, {balance[k].off_course} off course
            {balance[k].no_signal ? `, ${balance[k].no_signal} without signal` : ''}
            {/* Closed goals too, so the parts add up to the whole. */}
            {balance[k].met ? `, ${balance[k].met} met` : ''}
            {balance[k].missed ? `, ${balance[k].missed} missed` : ''}
          </div>
        ))}
      </section>
      <form className="filters" aria-label="Filter goals" onSubmit={(e) => e.preventDefault()}>
        <label>
          Owner{' '}
          <select value={filters.owner} onChange={(e) => setFilters({ owner: e.target.value })}>
            <option value="">All owners</option>
            {owners.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label>
          Objective{' '}
          <select value={filters.objective} onChange={(e) => setFilters({ objective: e.target.value })}>
            <option value="">Business and community</option>
            <option value="business">Business</option>
            <option value="community">Community</option>
          </select>
        </label>
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setFilters({ status: e.target.value })}>
            <option value="">Any status</option>
            {/* The statuses the API knows, in its own order (every one is counted in the balance). */}
            {Object.keys(balance.business)
              .filter((k) => k !== 'goals')
              .map((s) => (
                <option key={s} value={s}>
                  {statusWords(s)}
                </option>
              ))}
          </select>
        </label>
      </form>
      {goals.data.problems.length > 0 && (
        <div className="state error" role="alert">
          The goals file has problems:{' '}
          {goals.data.problems.map((p) => `${p.file}:${p.line}: ${p.field}: ${p.message}`).join('; ')}
        </div>
      )}
      {badStatus && (
        <p className="state warn" role="status" data-testid="bad-status">
          The link asks for status "{badStatus}", which no goal can have: showing every status.
        </p>
      )}
      {shown.length === 0 ? (
        <Empty>
          {goals.data.goals.length
            ? 'No goal matches these filters.'
            : 'No goals yet. Add one to metrics/goals.yaml or through the API (POST /api/goals).'}
        </Empty>
      ) : (
        <ul className="cards" aria-label="Goals">
          {shown.map((g) => (
            <GoalCard key={g.id} g={g} checkin={checkinOf.get(g.id)} />
          ))}
        </ul>
      )}
      {shown.length > 0 && <TermList ids={['arrival-probability', 'forecast-course', 'pace-needed', 'interval']} />}
    </section>
  );
}
