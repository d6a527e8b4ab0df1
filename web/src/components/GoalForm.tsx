// Make, edit and delete a goal from the app (an analyst token): the same checks as the goals file
// (the server writes metrics/goals.yaml atomically after checking), each problem shown as the server
// words it. Every field of a goal is here (milestones and min_n too), so an edit keeps what the file had.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { api, bodyOf, writeFailure } from '../lib/api.ts';
import { keys, metricsQuery } from '../lib/queries.ts';
import { MetricSelect } from './MetricSelect.tsx';

export interface GoalFields {
  id: string;
  metric: string;
  target: number;
  due: string;
  start?: string | null;
  where?: Record<string, string>;
  owner?: string | null;
  objective?: 'business' | 'community';
  note?: string | null;
  milestones?: Array<{ date: string; target: number }> | null;
  min_n?: number | null;
}

const UNIT_HINT: Record<string, string> = {
  ratio: 'a share: write 0.9 for 90%',
  percent: 'in percent: 90 for 90%',
  score: 'in points',
  currency: 'in money',
  count: 'a count',
};

/** The body the API takes: empty optional fields left out. */
function bodyOf_(f: GoalFields, filter: { dimension: string; value: string }) {
  const where = filter.dimension && filter.value ? { [filter.dimension]: filter.value } : undefined;
  return {
    id: f.id,
    metric: f.metric,
    target: Number(f.target),
    due: f.due,
    ...(f.start ? { start: f.start } : {}),
    ...(where ? { where } : {}),
    ...(f.owner ? { owner: f.owner } : {}),
    objective: f.objective ?? 'business',
    ...(f.note ? { note: f.note } : {}),
    // The file wants them in date order; the server checks each is on or before the due date.
    ...(f.milestones?.length ? { milestones: [...f.milestones].sort((a, b) => a.date.localeCompare(b.date)) } : {}),
    ...(f.min_n !== null && f.min_n !== undefined && Number.isFinite(f.min_n) ? { min_n: f.min_n } : {}),
  };
}

export function GoalForm({ initial, onDone }: { initial?: GoalFields; onDone: () => void }) {
  const editing = Boolean(initial);
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const metrics = useQuery(metricsQuery());
  const [f, setF] = useState<GoalFields>(
    initial ?? { id: '', metric: '', target: Number.NaN, due: '', objective: 'business' },
  );
  const first = Object.entries(initial?.where ?? {})[0];
  const [filter, setFilter] = useState({ dimension: first?.[0] ?? '', value: first?.[1] ?? '' });
  const metric = metrics.data?.metrics.find((m) => m.name === f.metric);
  const save = useMutation({
    mutationFn: () => {
      const json = bodyOf_(f, filter);
      return editing ? bodyOf(api.goals[':id'].$put({ param: { id: f.id }, json })) : bodyOf(api.goals.$post({ json }));
    },
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: keys.goals });
      onDone();
      if (!editing) navigate(`/goals/${f.id}`);
    },
  });
  const set = (patch: Partial<GoalFields>) => setF((old) => ({ ...old, ...patch }));
  return (
    <form
      className="goal-form"
      aria-label={editing ? 'Edit the goal' : 'New goal'}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <label>
        Id{' '}
        <input
          value={f.id}
          onChange={(e) => set({ id: e.target.value })}
          pattern="[a-z0-9][a-z0-9_\-]*"
          title="lower-case letters, digits, - and _"
          required
          disabled={editing}
        />
      </label>
      <label>
        Metric{' '}
        <MetricSelect value={f.metric} onChange={(metric) => set({ metric })} placeholder="Choose a metric" required />
      </label>
      <label>
        Target{metric ? ` (${UNIT_HINT[metric.unit] ?? metric.unit})` : ''}{' '}
        <input
          type="number"
          step="any"
          value={Number.isFinite(f.target) ? f.target : ''}
          onChange={(e) => set({ target: e.target.value === '' ? Number.NaN : Number(e.target.value) })}
          required
        />
      </label>
      <label>
        Due <input type="date" value={f.due} onChange={(e) => set({ due: e.target.value })} required />
      </label>
      <label>
        Baseline date (optional){' '}
        <input type="date" value={f.start ?? ''} onChange={(e) => set({ start: e.target.value || null })} />
      </label>
      <label>
        Only where{' '}
        <select value={filter.dimension} onChange={(e) => setFilter({ ...filter, dimension: e.target.value })}>
          <option value="">Every customer</option>
          {(metric?.dimensions ?? []).map((d) => (
            <option key={d} value={d}>
              {d.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
      </label>
      {filter.dimension && (
        <label>
          is <input value={filter.value} onChange={(e) => setFilter({ ...filter, value: e.target.value })} required />
        </label>
      )}
      <label>
        Owner <input value={f.owner ?? ''} onChange={(e) => set({ owner: e.target.value || null })} />
      </label>
      <label>
        Objective{' '}
        <select
          value={f.objective ?? 'business'}
          onChange={(e) => set({ objective: e.target.value as 'business' | 'community' })}
        >
          <option value="business">Business</option>
          <option value="community">Community</option>
        </select>
      </label>
      <Milestones rows={f.milestones ?? []} onChange={(milestones) => set({ milestones })} unitHint={metric?.unit} />
      <label>
        Fewest rows in a month (optional){' '}
        <input
          type="number"
          min={0}
          step={1}
          value={f.min_n ?? ''}
          onChange={(e) => set({ min_n: e.target.value === '' ? null : Number(e.target.value) })}
          aria-describedby="min-n-help"
        />
        <span id="min-n-help" className="muted">
          a month with fewer is drawn but left out of the reading (default: 30, or a fifth of a usual month)
        </span>
      </label>
      <label className="grow">
        Note <input value={f.note ?? ''} onChange={(e) => set({ note: e.target.value || null })} maxLength={2000} />
      </label>
      <div className="form-actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : editing ? 'Save the goal' : 'Add the goal'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      {save.isError && (
        <p role="alert" className="error-text" data-testid="goal-form-error">
          {writeFailure(save.error)}
        </p>
      )}
    </form>
  );
}

/** Phased targets on the way to the target: the planned path runs from the baseline through them. */
function Milestones({
  rows,
  onChange,
  unitHint,
}: {
  rows: Array<{ date: string; target: number }>;
  onChange: (rows: Array<{ date: string; target: number }>) => void;
  unitHint?: string;
}) {
  const put = (i: number, patch: Partial<{ date: string; target: number }>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="milestones grow" data-testid="milestones">
      <legend>Milestones (optional): targets on the way, which the planned path passes through</legend>
      {rows.map((m, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
        <div className="milestone-row" key={i}>
          <label>
            Milestone {i + 1} date{' '}
            <input type="date" value={m.date} onChange={(e) => put(i, { date: e.target.value })} required />
          </label>
          <label>
            Target{unitHint ? ` (${UNIT_HINT[unitHint] ?? unitHint})` : ''}{' '}
            <input
              type="number"
              step="any"
              value={Number.isFinite(m.target) ? m.target : ''}
              onChange={(e) => put(i, { target: e.target.value === '' ? Number.NaN : Number(e.target.value) })}
              required
            />
          </label>
          <button type="button" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            Remove milestone {i + 1}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { date: '', target: Number.NaN }])}>
        Add a milestone
      </button>
    </fieldset>
  );
}

/** Delete a goal (asks first), then back to the Heading. */
export function DeleteGoal({ id }: { id: string }) {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const remove = useMutation({
    mutationFn: () => bodyOf(api.goals[':id'].$delete({ param: { id } })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: keys.goals });
      navigate('/');
    },
  });
  return (
    <>
      <button
        type="button"
        onClick={() => {
          if (window.confirm(`Delete the goal "${id}" from the goals file?`)) remove.mutate();
        }}
        disabled={remove.isPending}
      >
        Delete goal
      </button>
      {remove.isError && (
        <p role="alert" className="error-text">
          {writeFailure(remove.error)}
        </p>
      )}
    </>
  );
}
