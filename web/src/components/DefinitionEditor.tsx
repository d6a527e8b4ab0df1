import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { api, bodyOf, writeFailure } from '../lib/api.ts';
import { checkQuery, keys } from '../lib/queries.ts';
import { useDebounced } from '../lib/useDebounced.ts';
import { SeriesChart } from './SeriesChart.tsx';

/**
 * The YAML with line numbers that match the checker's: lines never wrap (a long line scrolls
 * sideways), and the number of every line with a problem is marked in the gutter.
 */
function CodeArea({
  value,
  onChange,
  badLines,
}: {
  value: string;
  onChange: (v: string) => void;
  badLines: Set<number>;
}) {
  const gutter = useRef<HTMLDivElement>(null);
  const lines = value.split('\n');
  return (
    <div className="code-area">
      <div className="gutter" ref={gutter} aria-hidden="true" data-testid="gutter">
        {lines.map((_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a line's number is its identity
          <div key={i} className={badLines.has(i + 1) ? 'bad' : undefined} data-line={i + 1}>
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        id="definition-yaml"
        value={value}
        wrap="off"
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        rows={Math.max(12, lines.length + 2)}
        spellCheck={false}
        aria-describedby="definition-problems"
      />
    </div>
  );
}

export function DefinitionEditor({ initial, file, name }: { initial: string; file?: string; name?: string }) {
  const [yaml, setYaml] = useState(initial);
  const settled = useDebounced(yaml, 400);
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const check = useQuery(checkQuery(settled, file));
  const preview = useMutation({
    mutationFn: async () => {
      return bodyOf(api.metrics.preview.$post({ json: { yaml, file }, query: {} }));
    },
  });
  const targetName = name ?? /^name:\s*([a-z][a-z0-9_]*)\s*$/m.exec(yaml)?.[1] ?? '';
  const save = useMutation({
    mutationFn: async () => {
      return bodyOf(api.metrics[':name'].$put({ param: { name: targetName }, json: { yaml } }));
    },
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: keys.metrics });
      // A new definition opens at its own page (staying on /metrics/new would read it as a duplicate).
      if (!name) navigate(`/metrics/${saved.saved}`);
    },
  });
  const problems = check.data?.problems ?? [];
  return (
    <div className="editor">
      <label htmlFor="definition-yaml">Definition (YAML)</label>
      <CodeArea value={yaml} onChange={setYaml} badLines={new Set(problems.map((p) => p.line))} />
      <div id="definition-problems" aria-live="polite" data-testid="problems">
        {check.isFetching && <p className="muted">Checking…</p>}
        {check.isError && (
          <p className="error-text" role="alert">
            {check.error.message}
          </p>
        )}
        {check.data && problems.length === 0 && <p className="ok-text">✔ Valid: no problems.</p>}
        {problems.length > 0 && (
          <ul className="problems">
            {problems.map((p) => (
              <li key={`${p.line}:${p.col}:${p.field}:${p.code}`} className="error-text">
                Line {p.line}, column {p.col}: {p.field}: {p.message} <span className="muted">({p.code})</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="actions">
        <button type="button" onClick={() => preview.mutate()} disabled={problems.length > 0 || preview.isPending}>
          Preview series
        </button>
        <button
          type="button"
          onClick={() => save.mutate()}
          disabled={problems.length > 0 || !targetName || save.isPending}
        >
          Save {targetName ? `${targetName}.yaml` : ''}
        </button>
      </div>
      {save.isError && (
        <p className="error-text" role="alert">
          {writeFailure(save.error)}
        </p>
      )}
      {save.data && (
        <p className="ok-text" role="status">
          Saved {save.data.file}.
        </p>
      )}
      {preview.isError && (
        <p className="error-text" role="alert">
          {preview.error.message}
        </p>
      )}
      {preview.data && <SeriesChart series={preview.data} />}
    </div>
  );
}
