// The lift tests on this KPI, each beside what the model says about its weeks; analysts add,
// replace and delete them here (or import an experiments file).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, bodyOf, writeFailure } from '../../lib/api.ts';
import { whoamiQuery } from '../../lib/queries.ts';
import type { Mix } from './shared.ts';

const EMPTY = { id: '', channel: '', start: '', end: '', lift: '', se: '' };

function ExperimentForm({ mix }: { mix: Mix }) {
  const client = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const save = useMutation({
    mutationFn: () =>
      bodyOf(
        api.experiments[':id'].$put({
          param: { id: form.id },
          json: {
            channel: form.channel,
            start: form.start,
            end: form.end,
            metric: mix.kpi,
            lift: Number(form.lift),
            lift_se: Number(form.se),
          },
        }),
      ),
    onSuccess: () => {
      setForm(EMPTY);
      void client.invalidateQueries({ queryKey: ['mix'] });
    },
  });
  const field = (name: keyof typeof EMPTY, label: string, type = 'text') => (
    <label>
      {label}{' '}
      <input
        type={type}
        required
        value={form[name]}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
        {...(type === 'number' ? { step: 'any' } : {})}
      />
    </label>
  );
  return (
    <form
      className="filters"
      aria-label="Add an experiment"
      data-testid="experiment-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      {field('id', 'Id')}
      <label>
        Channel{' '}
        <select required value={form.channel} onChange={(e) => setForm({ ...form, channel: e.target.value })}>
          <option value="">…</option>
          {mix.channels.map((c) => (
            <option key={c.channel} value={c.channel}>
              {c.channel}
            </option>
          ))}
        </select>
      </label>
      {field('start', 'From', 'date')}
      {field('end', 'To', 'date')}
      {field('lift', `Lift (${mix.kpi})`, 'number')}
      {field('se', 'Standard error', 'number')}
      <button type="submit" disabled={save.isPending}>
        Save experiment
      </button>
      {save.isError && (
        <p className="state error" role="alert">
          {writeFailure(save.error)}
        </p>
      )}
    </form>
  );
}

export function ExperimentsPanel({ mix }: { mix: Mix }) {
  const client = useQueryClient();
  const who = useQuery(whoamiQuery());
  const canWrite = who.data?.role === 'analyst' || who.data?.role === 'admin';
  const remove = useMutation({
    mutationFn: (id: string) => bodyOf(api.experiments[':id'].$delete({ param: { id } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['mix'] }),
  });
  return (
    <section aria-labelledby="experiments-title">
      <h2 id="experiments-title">Experiments</h2>
      {mix.experiments.length === 0 ? (
        <p className="muted">No lift tests on {mix.kpi} yet: add one below or import an experiments file.</p>
      ) : (
        <ul data-testid="mix-experiments">
          {mix.experiments.map((e) => (
            <li key={e.experiment_id}>
              {e.experiment_id}: {e.channel}, {e.start} to {e.end}, measured {e.lift.toLocaleString()} (±
              {e.lift_se.toLocaleString()})
              {e.model_lift !== null && e.model_lift_ci && (
                <>
                  ; the model says {Math.round(e.model_lift).toLocaleString()} (
                  {Math.round(e.model_lift_ci[0]).toLocaleString()}–{Math.round(e.model_lift_ci[1]).toLocaleString()})
                  for the same weeks: <strong>{e.agrees ? 'they agree' : 'they disagree'}</strong>
                </>
              )}
              {canWrite && (
                <button
                  type="button"
                  className="chip"
                  aria-label={`Delete experiment ${e.experiment_id}`}
                  onClick={() => remove.mutate(e.experiment_id)}
                >
                  Delete
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {remove.isError && (
        <p className="state error" role="alert">
          {writeFailure(remove.error)}
        </p>
      )}
      {canWrite ? (
        <ExperimentForm mix={mix} />
      ) : (
        <p className="muted small">Sign in as an analyst to add or delete experiments.</p>
      )}
    </section>
  );
}
