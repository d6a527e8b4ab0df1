import { useQuery } from '@tanstack/react-query';
import { formatUtcMinute } from '../../lib/format.ts';
import { importsQuery } from '../../lib/queries.ts';
import { ErrorState, Loading } from '../States.tsx';

interface Entry {
  id: number;
  at: string;
  who: string;
  kind: string;
  ok: boolean;
  full_refresh: boolean;
  files: Array<{ name: string; sha256: string | null }>;
  tables: Array<{ table: string; inserted: number; updated: number; deleted: number }>;
  problems: string[];
}

/** Every import and sync: when, who, which files, what changed, or why it failed. */
export function HistoryPanel() {
  const history = useQuery(importsQuery());
  if (history.isPending) return <Loading what="import history" />;
  if (history.isError) return <ErrorState error={history.error} retry={() => history.refetch()} />;
  const entries = history.data.imports as unknown as Entry[];
  return (
    <section aria-labelledby="history-title" className="panel">
      <h2 id="history-title">Import history</h2>
      {entries.length === 0 ? (
        <p className="muted">No imports or syncs yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="history">
            <caption>The latest imports and syncs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatUtcMinute(e.at)}</td>
                  <td>
                    {e.kind}
                    {e.full_refresh ? ' (full refresh)' : ''}: {e.files.map((f) => f.name).join(', ')}
                  </td>
                  <td>{e.who}</td>
                  <td>
                    {e.ok
                      ? e.tables.map((t) => `${t.table} +${t.inserted} ~${t.updated} −${t.deleted}`).join(', ')
                      : `failed: ${e.problems[0] ?? ''}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
