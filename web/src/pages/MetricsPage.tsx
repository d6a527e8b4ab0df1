import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { useStackLabels } from '../lib/stackLabels.ts';
import { Link } from 'wouter';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { metricsQuery } from '../lib/queries.ts';
import { useUrlState } from '../lib/urlState.ts';

export default function MetricsPage() {
  const stackRef = useRef<HTMLTableElement>(null);
  useStackLabels(stackRef);
  const [view, setView] = useUrlState({ q: '' });
  const metrics = useQuery(metricsQuery());
  if (metrics.isPending) return <Loading what="metric catalog" />;
  if (metrics.isError) return <ErrorState error={metrics.error} retry={() => metrics.refetch()} />;
  const q = view.q.toLowerCase();
  const shown = metrics.data.metrics.filter(
    (m) => !q || [m.name, m.label, m.description, m.owner ?? '', ...m.tags].join(' ').toLowerCase().includes(q),
  );
  return (
    <section aria-labelledby="metrics-title">
      <div className="page-head">
        <h1 id="metrics-title">Metrics</h1>
        <Link href="/metrics/new" className="button">
          New definition
        </Link>
      </div>
      <p className="muted intro">
        What every number on the other pages means, written as files and checked like code: open one to see its SQL, the
        goals that use it and its series before you trust a decision to it.
      </p>
      <label className="search">
        Search the catalog{' '}
        <input
          type="search"
          value={view.q}
          onChange={(e) => setView({ q: e.target.value })}
          placeholder="retention, nps, social…"
        />
      </label>
      {metrics.data.problems.length > 0 && (
        <div className="state error" role="alert">
          <strong>Definitions with problems (not served):</strong>
          <ul>
            {metrics.data.problems.map((p) => (
              <li key={`${p.file}:${p.line}:${p.col}:${p.field}`}>
                {p.file}:{p.line}:{p.col}: {p.field}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {shown.length === 0 ? (
        <Empty>No metric matches “{view.q}”.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table stack" ref={stackRef} data-testid="metric-table">
            <caption>
              {shown.length} of {metrics.data.metrics.length} metrics
            </caption>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col">Unit</th>
                <th scope="col">Better when</th>
                <th scope="col">Owner</th>
                <th scope="col">Used by goals</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((m) => (
                <tr key={m.name}>
                  <th scope="row">
                    <Link href={`/metrics/${m.name}`}>{m.label}</Link>
                    <div className="muted small">
                      {m.name} · {m.description}
                    </div>
                    {m.failure && (
                      <div className="error-text small" data-testid={`failed-${m.name}`}>
                        Cannot be computed: {m.failure}
                      </div>
                    )}
                  </th>
                  <td>{m.unit}</td>
                  <td>{m.direction === 'up' ? 'higher' : 'lower'}</td>
                  <td>{m.owner ?? '—'}</td>
                  <td>{m.used_by_goals.length ? m.used_by_goals.join(', ') : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
