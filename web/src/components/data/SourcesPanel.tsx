import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, bodyOf, writeFailure } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { sourcesQuery } from '../../lib/queries.ts';
import { ErrorState, Loading } from '../States.tsx';

interface TableLine {
  table: string;
  rows_read: number;
  collapsed?: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted?: number;
}
interface Preview {
  name: string;
  table: string;
  columns: string[];
  rows: Record<string, unknown>[];
}
interface Check {
  ok: boolean;
  problems: Array<{ file: string; line: number; col: number; field: string; message: string }>;
  data_problems: string[];
  previews: Preview[];
}
interface Problem {
  file: string;
  line: number;
  column?: string;
  problem?: string;
  message?: string;
  field?: string;
  col?: number;
}

const problemText = (p: Problem) =>
  p.message
    ? `sources/${p.file}:${p.line}:${p.col}: ${p.field}: ${p.message}`
    : `${p.file}${p.line ? `:${p.line}` : ''}: ${p.column ? `${p.column}: ` : ''}${p.problem}`;

function Tables({ lines }: { lines: TableLine[] }) {
  return (
    <ul>
      {lines.map((t) => (
        <li key={t.table}>
          {`${t.table}: ${t.rows_read.toLocaleString()} rows read${collapsedText(t.collapsed)}; `}
          {`${t.inserted.toLocaleString()} new, ${t.updated.toLocaleString()} updated, `}
          {`${t.unchanged.toLocaleString()} unchanged${t.deleted ? `, ${t.deleted.toLocaleString()} deleted` : ''}`}
        </li>
      ))}
    </ul>
  );
}

function Previews({ check }: { check: Check }) {
  return (
    <div data-testid="sources-check">
      <p className={check.ok ? 'state ok' : 'state error'}>
        {check.ok
          ? 'Every source checks against its files.'
          : 'The sources have problems; a sync would change nothing.'}
      </p>
      <ul>
        {[...check.problems.map(problemText), ...check.data_problems].map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      {check.previews.map((p) => (
        <div key={p.name} className="table-wrap">
          <table className="table">
            <caption>
              {p.name} → {p.table}: the first mapped rows
            </caption>
            <thead>
              <tr>
                {p.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {p.rows.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: preview rows have no identity of their own
                <tr key={i}>
                  {p.columns.map((c) => (
                    <td key={c}>{String(r[c] ?? '')}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}

/** Rows read and then left out because a later row had the same declared key. */
const collapsedText = (n: number | undefined) => (n ? ` (${n.toLocaleString()} collapsed by key)` : '');

/** The workspace's sources: status, last sync, a checked preview and Sync now. */
export function SourcesPanel() {
  const sources = useQuery(sourcesQuery());
  const client = useQueryClient();
  const [check, setCheck] = useState<Check | null>(null);
  const sync = useMutation({
    mutationFn: () => bodyOf(api.sync.$post({ json: {} })),
    onSettled: () => client.invalidateQueries(),
  });
  const preview = useMutation({
    mutationFn: () => bodyOf(api.sources.check.$post({ json: { preview: 5 } })) as unknown as Promise<Check>,
    onSuccess: setCheck,
  });
  if (sources.isPending) return <Loading what="sources" />;
  if (sources.isError) return <ErrorState error={sources.error} retry={() => sources.refetch()} />;
  const list = sources.data.sources;
  const details =
    sync.error instanceof ApiError ? (sync.error.details as { problems?: Problem[] } | undefined) : undefined;
  return (
    <section aria-labelledby="sources-title" className="panel">
      <h2 id="sources-title">Sources</h2>
      {list.length === 0 ? (
        <p className="muted" data-testid="no-sources">
          No sources yet. Describe your exports in a file under the workspace's <code>sources/</code> folder (see the
          README, "Your own data in ten minutes"), then sync here or with <code>bearing sync</code>.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption>Each source, the table it feeds and its last sync</caption>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Table</th>
                <th scope="col">Files</th>
                <th scope="col">Status</th>
                <th scope="col">Last sync</th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.name} data-testid={`source-${s.name}`}>
                  <th scope="row">{s.name}</th>
                  <td>{s.table}</td>
                  <td>{s.files.join(', ') || '—'}</td>
                  <td>
                    {s.status === 'ok'
                      ? 'ok'
                      : s.status === 'failing'
                        ? `failing: ${s.last_sync?.first_problem ?? 'its last sync left it out'}`
                        : `${s.problems.length} problem(s)`}
                  </td>
                  <td>{s.last_sync ? `${formatDate(s.last_sync.at)} ${s.last_sync.ok ? '' : '(failed)'}` : 'never'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="inline-form">
        <button type="button" onClick={() => sync.mutate()} disabled={sync.isPending || !list.length}>
          {sync.isPending ? 'Syncing…' : 'Sync now'}
        </button>
        <button type="button" onClick={() => preview.mutate()} disabled={preview.isPending || !list.length}>
          {preview.isPending ? 'Checking…' : 'Check and preview (admin)'}
        </button>
      </div>
      <div aria-live="polite" data-testid="sync-result">
        {sync.data && (
          <div className="state ok">
            <strong>Synced in one transaction.</strong>
            <Tables lines={sync.data.tables} />
            {(sync.data.skipped ?? []).map((x) => (
              <p key={x.source} className="state error" data-testid={`skipped-${x.source}`}>
                Skipped {x.source} (nothing of it was imported): {x.problems[0] ?? 'it has problems'}
              </p>
            ))}
          </div>
        )}
        {sync.isError && (
          <div className="state error" role="alert">
            <strong>{writeFailure(sync.error)}</strong>
            <ul>
              {(details?.problems ?? []).map((p) => (
                <li key={problemText(p)}>{problemText(p)}</li>
              ))}
            </ul>
          </div>
        )}
        {preview.isError && (
          <p className="state error" role="alert">
            {preview.error.message}
          </p>
        )}
        {check && <Previews check={check} />}
      </div>
    </section>
  );
}
