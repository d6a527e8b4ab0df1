import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, bodyOf } from '../lib/api.ts';
import { checkQuery, keys } from '../lib/queries.ts';
import { SeriesChart } from './SeriesChart.tsx';

/** Waits for the analyst to pause typing before asking the server to check. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

export function DefinitionEditor({ initial, file, name }: { initial: string; file?: string; name?: string }) {
  const [yaml, setYaml] = useState(initial);
  const settled = useDebounced(yaml, 400);
  const client = useQueryClient();
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
    onSuccess: () => client.invalidateQueries({ queryKey: keys.metrics }),
  });
  const problems = check.data?.problems ?? [];
  return (
    <div className="editor">
      <label htmlFor="definition-yaml">Definition (YAML)</label>
      <textarea
        id="definition-yaml"
        value={yaml}
        onChange={(e) => setYaml(e.target.value)}
        rows={Math.max(12, yaml.split('\n').length + 2)}
        spellCheck={false}
        aria-describedby="definition-problems"
      />
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
          {save.error.message}
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
