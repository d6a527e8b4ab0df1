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
  const model = useMutation({
    mutationFn: async () => {
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
  return (
    <section aria-labelledby="whatif-title" className="panel">
      <h2 id="whatif-title">
        Budget what-if <span className="tag">model, not a measurement</span>
      </h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          model.mutate();
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
        <div data-testid="whatif-result">
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
        </div>
      )}
    </section>
  );
}
