// The budget what-if: move spend between channels and see what the measured lifts imply under
// diminishing returns. A model, not a measurement, and labelled as one.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, bodyOf } from '../../lib/api.ts';
import { formatMoney } from '../../lib/format.ts';
import type { Row } from './shared.ts';

export function WhatIfPanel({ rows, window, horizon }: { rows: Row[]; window: number; horizon: number }) {
  const [moveFrom, setFrom] = useState(rows[0]?.channel ?? '');
  const [moveTo, setTo] = useState(rows[1]?.channel ?? '');
  const [share, setShare] = useState(20);
  const source = rows.find((r) => r.channel === moveFrom);
  const amount = Math.round(((source?.spend ?? 0) * share) / 100);
  // What the shown result was modelled for: a result for other inputs is marked out of date.
  const inputs = `${moveFrom}\u0000${moveTo}\u0000${amount}\u0000${window}\u0000${horizon}`;
  const model = useMutation({
    mutationFn: async (_for: string) => {
      return bodyOf(
        api.channels['what-if'].$post({
          json: {
            window,
            horizon,
            moves: moveFrom !== moveTo && amount > 0 ? [{ from: moveFrom, to: moveTo, amount }] : [],
          },
        }),
      );
    },
  });
  const elasticity = `elasticity ${model.data?.elasticity}`;
  return (
    <section aria-labelledby="whatif-title" className="panel">
      <h2 id="whatif-title">
        Budget what-if <span className="tag">model, not a measurement</span>
      </h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          model.mutate(inputs);
        }}
      >
        <label>
          Move from{' '}
          <select value={moveFrom} onChange={(e) => setFrom(e.target.value)}>
            {rows.map((r) => (
              <option key={r.channel}>{r.channel}</option>
            ))}
          </select>
        </label>
        <label>
          to{' '}
          <select value={moveTo} onChange={(e) => setTo(e.target.value)}>
            {rows.map((r) => (
              <option key={r.channel}>{r.channel}</option>
            ))}
          </select>
        </label>
        <label className="grow">
          Share of {moveFrom}’s spend: {share}% ({formatMoney(amount)})
          <input
            type="range"
            min={0}
            max={100}
            step={5}
            value={share}
            onChange={(e) => setShare(Number(e.target.value))}
          />
        </label>
        <button type="submit" disabled={model.isPending}>
          Model it
        </button>
      </form>
      {model.isError && (
        <p role="alert" className="error-text">
          {model.error.message}
        </p>
      )}
      {model.data && (
        <div
          data-testid="whatif-result"
          data-stale={model.variables !== inputs}
          className={model.variables !== inputs ? 'stale' : undefined}
        >
          {model.variables !== inputs && (
            <p className="state warn" role="status" data-testid="whatif-stale">
              Out of date: this result was modelled for other settings. Press “Model it” to model these.
            </p>
          )}
          <p>
            <strong>
              Expected change: {model.data.total_change >= 0 ? '+' : ''}
              {model.data.total_change.toFixed(0)} retained customers
            </strong>{' '}
            (range {model.data.total_change_ci[0].toFixed(0)} to {model.data.total_change_ci[1].toFixed(0)}).{' '}
            {model.data.label}
          </p>
          <ul className="muted">
            {model.data.assumptions.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
          <p className="muted small" data-testid="whatif-response">
            {model.data.channels
              .filter((c) => c.spend_after !== c.spend_now)
              .map(
                (c) => `${c.channel}: ${c.response === 'fitted curve' ? 'the mix model’s fitted curve' : elasticity}`,
              )
              .join('; ')}
          </p>
        </div>
      )}
    </section>
  );
}
