import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { BreakdownChart } from '../components/BreakdownChart.tsx';
import { DefinitionEditor } from '../components/DefinitionEditor.tsx';
import { SeriesChart } from '../components/SeriesChart.tsx';
import { NoteForm, NoteList } from '../components/notes/Notes.tsx';
import { ComparisonText, useComparedSeries } from '../components/PreviousPeriod.tsx';
import { RangeBar } from '../components/RangeBar.tsx';
import { ErrorState, Loading } from '../components/States.tsx';
import { BREAKDOWN_TOP, metricsQuery, seriesQuery, type Grain } from '../lib/queries.ts';
import { useDateRange } from '../lib/useDateRange.ts';
import { useUrlState } from '../lib/urlState.ts';

const VIEW = { grain: 'month', by: '', tab: 'chart' };

/** The Series tab: the shared range, grain and breakdown, the chart (with its comparison), and the notes. */
function SeriesPanel({
  name,
  dimensions,
  view,
  setView,
}: {
  name: string;
  dimensions: string[];
  view: typeof VIEW;
  setView: (patch: Partial<typeof VIEW>) => void;
}) {
  const range = useDateRange();
  const grain = view.grain as Grain;
  const series = useQuery({
    ...seriesQuery(name, {
      grain,
      by: view.by || undefined,
      top: view.by ? BREAKDOWN_TOP : undefined,
      from: range.span?.from,
      to: range.span?.to,
    }),
    enabled: range.span !== null,
    // A new range or grain keeps the chart on screen, marked as updating; a new metric or breakdown
    // (another shape of answer) does not.
    placeholderData: (previous) =>
      previous?.metric === name && previous.by === (view.by || null) ? previous : undefined,
  });
  const comparing = range.compare !== '' && !view.by;
  const { range: comparedRange, aligned } = useComparedSeries(
    name,
    { grain, span: range.span, compare: range.compare, enabled: comparing },
    series.data?.rows,
  );
  return (
    <div role="tabpanel">
      <RangeBar range={range} note={view.by ? 'comparisons are drawn without a breakdown' : undefined} />
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Series settings">
        <label>
          Grain{' '}
          <select value={view.grain} onChange={(e) => setView({ grain: e.target.value })}>
            {['day', 'week', 'month', 'quarter'].map((g) => (
              <option key={g}>{g}</option>
            ))}
          </select>
        </label>
        <label>
          Break down by{' '}
          <select value={view.by} onChange={(e) => setView({ by: e.target.value })}>
            <option value="">Nothing</option>
            {dimensions.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
      </form>
      {series.isPending && !range.problem && <Loading what="series" />}
      {series.isPlaceholderData && (
        <p className="muted small" role="status" data-testid="series-updating">
          Updating for the new range…
        </p>
      )}
      {series.isError && <ErrorState error={series.error} retry={() => series.refetch()} />}
      {series.data &&
        (view.by ? (
          <BreakdownChart series={series.data} />
        ) : (
          <SeriesChart
            series={series.data}
            previous={comparing ? aligned?.map((r) => (r?.complete ? r.value : null)) : undefined}
            previousName={range.compare === 'year' ? 'A year before' : 'The period before'}
          />
        ))}
      {series.data && !series.isPlaceholderData && comparing && comparedRange && aligned && range.compare !== '' && (
        <ComparisonText
          unit={series.data.unit}
          compare={range.compare}
          rows={series.data.rows}
          aligned={aligned}
          range={comparedRange}
          grain={series.data.grain}
        />
      )}
      {series.data && (
        <section aria-labelledby="metric-notes">
          <h2 id="metric-notes">Notes</h2>
          <NoteList notes={series.data.annotations} />
          <NoteForm metric={name} />
        </section>
      )}
    </div>
  );
}

export default function MetricPage({ name }: { name: string }) {
  const [view, setView] = useUrlState(VIEW);
  const metrics = useQuery(metricsQuery());
  if (name === 'new') {
    return (
      <section aria-labelledby="new-title">
        <p>
          <Link href="/metrics">← Catalog</Link>
        </p>
        <h1 id="new-title">New metric definition</h1>
        <DefinitionEditor
          initial={
            'name: my_metric\nlabel: My metric\ndescription: What it measures, in one sentence.\nunit: ' +
            'count\ndirection: up\ntable: orders\ntime: ordered_at\nmeasure: count(*)\n'
          }
        />
      </section>
    );
  }
  if (metrics.isPending) return <Loading what="definition" />;
  if (metrics.isError) return <ErrorState error={metrics.error} retry={() => metrics.refetch()} />;
  const m = metrics.data.metrics.find((x) => x.name === name);
  if (!m)
    return <ErrorState error={new Error(`No valid metric named "${name}". It may have problems: see the catalog.`)} />;
  return (
    <section aria-labelledby="metric-title">
      <p>
        <Link href="/metrics">← Catalog</Link>
      </p>
      <div className="page-head">
        <h1 id="metric-title">{m.label}</h1>
        <span className="muted">
          {m.name} · {m.unit} · better when {m.direction === 'up' ? 'higher' : 'lower'}
        </span>
      </div>
      <p>{m.description}</p>
      <p className="muted">
        Used by goals:{' '}
        {m.used_by_goals.length
          ? m.used_by_goals.map((g) => (
              <Link key={g} href={`/goals/${g}`}>
                {g}{' '}
              </Link>
            ))
          : 'none'}
      </p>
      <div role="tablist" aria-label="Definition views" className="tabs">
        {(['chart', 'definition', 'edit'] as const).map((t) => (
          <button key={t} role="tab" type="button" aria-selected={view.tab === t} onClick={() => setView({ tab: t })}>
            {t === 'chart' ? 'Series' : t === 'definition' ? 'YAML and SQL' : 'Edit'}
          </button>
        ))}
      </div>
      {view.tab === 'chart' && <SeriesPanel name={name} dimensions={m.dimensions} view={view} setView={setView} />}
      {view.tab === 'definition' && (
        <div role="tabpanel" className="two-col">
          <div>
            <h2>{m.file}</h2>
            <pre className="code" data-testid="yaml">
              {m.yaml}
            </pre>
          </div>
          <div>
            <h2>Compiled SQL</h2>
            <pre className="code" data-testid="sql">
              {m.sql}
            </pre>
          </div>
        </div>
      )}
      {view.tab === 'edit' && (
        <div role="tabpanel">
          <DefinitionEditor initial={m.yaml} file={m.file} name={m.name} />
        </div>
      )}
    </section>
  );
}
