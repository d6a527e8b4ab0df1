import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { ErrorState, Loading } from '../components/States.tsx';
import type { InferResponseType } from 'hono/client';
import { type api, ApiError, authHeaders, bodyOf, writeFailure } from '../lib/api.ts';
import { formatDate } from '../lib/format.ts';
import { healthQuery } from '../lib/queries.ts';
import { HistoryPanel } from '../components/data/HistoryPanel.tsx';
import { SamplePanel } from '../components/data/SamplePanel.tsx';
import { SourcesPanel } from '../components/data/SourcesPanel.tsx';

// The report's type comes from the API's own route (the upload itself is multipart, sent with fetch).
type Report = InferResponseType<typeof api.import.$post, 200>;

function ImportForm() {
  const input = useRef<HTMLInputElement>(null);
  const client = useQueryClient();
  const upload = useMutation({
    mutationFn: async (files: File[]) => {
      const form = new FormData();
      for (const f of files) form.append('files', f, f.name);
      // Multipart goes through fetch directly: the typed client has no form body for this route.
      return (await bodyOf(fetch('/api/import', { method: 'POST', body: form, headers: authHeaders() }))) as Report;
    },
    onSuccess: () => client.invalidateQueries(),
  });
  const rejected = upload.error instanceof ApiError ? ((upload.error.details as Report | undefined) ?? null) : null;
  return (
    <section aria-labelledby="import-title" className="panel">
      <h2 id="import-title">Import CSV files</h2>
      <p className="muted">
        One import is one transaction: every row lands or none does. Name each file after its table (customers.csv,
        touchpoints.csv, spend.csv, surveys.csv, orders.csv).
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const files = [...(input.current?.files ?? [])];
          if (files.length) upload.mutate(files);
        }}
      >
        <label className="grow">
          CSV files <input ref={input} type="file" accept=".csv,text/csv" multiple name="files" />
        </label>
        <button type="submit" disabled={upload.isPending}>
          {upload.isPending ? 'Importing…' : 'Import'}
        </button>
      </form>
      <div aria-live="polite" data-testid="import-result">
        {upload.data && (
          <div className="state ok">
            <strong>Imported.</strong>
            <ul>
              {upload.data.tables.map((t) => (
                <li key={t.table}>
                  {t.table}: {t.rows_read.toLocaleString()} rows read; {t.inserted.toLocaleString()} new,{' '}
                  {t.updated.toLocaleString()} updated, {t.unchanged.toLocaleString()} unchanged
                </li>
              ))}
            </ul>
            {upload.data.warnings.map((w) => (
              <p key={w} className="muted">
                Warning: {w}
              </p>
            ))}
          </div>
        )}
        {upload.isError && (
          <div className="state error" role="alert">
            <strong>{writeFailure(upload.error)}</strong>
            {rejected && (
              <ul>
                {rejected.problems.map((p) => (
                  <li key={`${p.file}:${p.line}:${p.column}:${p.problem}`}>
                    {p.file}
                    {p.line ? `:${p.line}` : ''}: {p.column ? `${p.column}: ` : ''}
                    {p.problem}
                    {p.value !== null
                      ? ` (got "${p.value}"${p.expected ? `, expected ${p.expected}` : ''})`
                      : p.expected
                        ? ` (expected ${p.expected})`
                        : ''}
                  </li>
                ))}
                {rejected.problem_count > rejected.problems.length && (
                  <li>… and {rejected.problem_count - rejected.problems.length} more</li>
                )}
              </ul>
            )}
          </div>
        )}
      </div>
    </section>
  );
}

/** Dates Bearing inferred, and the extra columns sources keep: modelling choices shown, not hidden. */
function Lifecycle({
  lifecycle,
  extras,
}: {
  lifecycle: {
    inactive_after_days: number | null;
    signup_inferred: number;
    churn_inferred: number;
    without_signup: number;
  };
  extras: Record<string, string[]>;
}) {
  const kept = Object.entries(extras).filter(([, cols]) => cols.length);
  return (
    <div className="muted" data-testid="lifecycle">
      <p>
        {lifecycle.signup_inferred.toLocaleString()} customers have no signup date in the sources: their signup is their
        first event in any table.{' '}
        {lifecycle.inactive_after_days === null
          ? 'Churn comes only from the sources (set churn.inactive_after_days in bearing.yaml to infer it).'
          : `${lifecycle.churn_inferred.toLocaleString()} customers are counted as churned ` +
            `${lifecycle.inactive_after_days} days after their last event (churn.inactive_after_days in bearing.yaml).`}
        {lifecycle.without_signup
          ? ` ${lifecycle.without_signup.toLocaleString()} have neither a signup nor any event.`
          : ''}
      </p>
      {kept.length > 0 && (
        <p>
          Extra columns kept by sources (usable as dimensions):{' '}
          {kept.map(([t, cols]) => `${t}: ${cols.join(', ')}`).join('; ')}.
        </p>
      )}
    </div>
  );
}

export default function DataPage() {
  // While stored series are being recomputed (after an import), check back every 2 s.
  const health = useQuery({
    ...healthQuery(),
    refetchInterval: (q) => (q.state.data?.rollups?.refreshing ? 2000 : false),
  });
  if (health.isPending) return <Loading what="data facts" />;
  if (health.isError) return <ErrorState error={health.error} retry={() => health.refetch()} />;
  const { as_of, ranges, rollups } = health.data;
  return (
    <section aria-labelledby="data-title">
      <div className="page-head">
        <h1 id="data-title">Data</h1>
        <p className="intro">
          Whether the numbers are fresh enough to decide on: data as of{' '}
          <strong data-testid="as-of">{as_of ? formatDate(as_of) : 'no data yet'}</strong> (the latest event date in the
          data). Each metric is computed as of its own tables' complete-through date, so a table that ends earlier never
          makes a month look complete.
        </p>
        {rollups && (
          <p className="muted" data-testid="rollups">
            {rollups.refreshing
              ? 'Stored month series are being recomputed for the latest data; charts are computed directly meanwhile.'
              : rollups.finished_at
                ? `Stored month series: ${rollups.sets} up to date (the last refresh computed ${rollups.computed} ` +
                  `in ${(rollups.ms / 1000).toFixed(1)} s).`
                : 'Stored month series will be computed shortly.'}
          </p>
        )}
      </div>
      <div className="table-wrap">
        <table className="table">
          <caption>Tables of the data contract</caption>
          <thead>
            <tr>
              <th scope="col">Table</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Complete through</th>
            </tr>
          </thead>
          <tbody>
            {ranges.map((r) => (
              <tr key={r.name}>
                <th scope="row">{r.name}</th>
                <td className="num" data-testid={`rows-${r.name}`}>
                  {r.rows.toLocaleString()}
                </td>
                <td>{formatDate(r.from)}</td>
                <td>{formatDate(r.to)}</td>
                <td data-testid={`complete-${r.name}`}>
                  {formatDate(r.complete_through)}
                  {r.declared ? ' (declared at import)' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Lifecycle lifecycle={health.data.lifecycle} extras={health.data.extras} />
      {health.data.sample && <SamplePanel />}
      <SourcesPanel />
      <ImportForm />
      <HistoryPanel />
    </section>
  );
}
