// The budget what-if: move spend between channels and see what the measured lifts imply under
// diminishing returns (or the mix model's fitted curve, where it has one), channel by channel,
// before and after. Recomputed a moment after the sliders stop; while it is, the last result stays
// on screen marked as out of date. A model, not a measurement, and labelled as one.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useStackLabels } from '../../lib/stackLabels.ts';
import { useState, useRef } from 'react';
import { api, bodyOf } from '../../lib/api.ts';
import { formatMoney, formatValue, withSign } from '../../lib/format.ts';
import { useDebounced } from '../../lib/useDebounced.ts';
import type { Row } from './shared.ts';

type Counted = 'retention' | 'revenue';

/** Retained customers as whole numbers; revenue as money. */
const amountOf = (outcome: Counted, v: number) =>
  outcome === 'revenue' ? formatMoney(v) : formatValue('count', Math.round(v));
const signedOf = (outcome: Counted, v: number | null) =>
  v === null ? '—' : withSign(v >= 0 ? '+' : '−', amountOf(outcome, Math.abs(v)));
const NOUN: Record<Counted, string> = { retention: 'retained customers', revenue: 'revenue' };

export function WhatIfPanel({
  rows,
  window,
  horizon,
  outcome,
}: {
  rows: Row[];
  window: number;
  horizon: number;
  outcome: Counted;
}) {
  const signed = (v: number | null) => signedOf(outcome, v);
  const stackRef = useRef<HTMLTableElement>(null);
  useStackLabels(stackRef);
  const [moveFrom, setFrom] = useState(rows[0]?.channel ?? '');
  const [moveTo, setTo] = useState(rows[1]?.channel ?? '');
  const [share, setShare] = useState(20);
  const source = rows.find((r) => r.channel === moveFrom);
  const amount = Math.round(((source?.spend ?? 0) * share) / 100);
  const inputs = JSON.stringify({ moveFrom, moveTo, amount, window, horizon, outcome });
  const settled = useDebounced(inputs, 400);
  const model = useQuery({
    queryKey: ['channels', 'what-if', settled],
    queryFn: () => {
      const i = JSON.parse(settled) as { moveFrom: string; moveTo: string; amount: number };
      const moves =
        i.moveFrom !== i.moveTo && i.amount > 0 ? [{ from: i.moveFrom, to: i.moveTo, amount: i.amount }] : [];
      return bodyOf(api.channels['what-if'].$post({ json: { window, horizon, moves, outcome } }));
    },
    placeholderData: keepPreviousData,
  });
  const stale = Boolean(model.data) && (model.isPlaceholderData || settled !== inputs);
  const moved = model.data?.channels.filter((c) => c.spend_after !== c.spend_now) ?? [];
  return (
    <section aria-labelledby="whatif-title" className="panel">
      <h2 id="whatif-title">
        Budget what-if <span className="tag">model, not a measurement</span>
      </h2>
      <form className="inline-form" onSubmit={(e) => e.preventDefault()} aria-label="Budget move">
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
      </form>
      {model.isError && (
        <p role="alert" className="error-text">
          {model.error.message}
        </p>
      )}
      {model.data && (
        <div data-testid="whatif-result" data-stale={stale} className={stale ? 'stale' : undefined} aria-busy={stale}>
          {stale && (
            <p className="state warn" role="status" data-testid="whatif-stale">
              Out of date: recomputing for the new settings…
            </p>
          )}
          <p>
            <strong>
              Expected change: {signed(model.data.total_change)} {NOUN[outcome]}
            </strong>{' '}
            (range {signed(model.data.total_change_ci[0])} to {signed(model.data.total_change_ci[1])}).{' '}
            {model.data.label}
          </p>
          {moved.length > 0 && (
            <div className="table-wrap">
              <table className="table stack" ref={stackRef} data-testid="whatif-table">
                <caption>Each channel the move touches, before and after</caption>
                <thead>
                  <tr>
                    <th scope="col">Channel</th>
                    <th scope="col">Spend now → after</th>
                    <th scope="col">Incremental {NOUN[outcome]} now → after</th>
                    <th scope="col">Change (range)</th>
                    <th scope="col">Scaled by</th>
                  </tr>
                </thead>
                <tbody>
                  {moved.map((c) => (
                    <tr key={c.channel} data-channel={c.channel}>
                      <th scope="row">{c.channel}</th>
                      <td className="num">
                        {formatMoney(c.spend_now)} → {formatMoney(c.spend_after)}
                      </td>
                      <td className="num">
                        {c.incremental_now === null ? '—' : amountOf(outcome, c.incremental_now)} →{' '}
                        {c.incremental_after === null ? '—' : amountOf(outcome, c.incremental_after)}
                      </td>
                      <td className="num">
                        {signed(c.change)}{' '}
                        {c.change_ci && (
                          <span className="muted">
                            ({signed(c.change_ci[0])} to {signed(c.change_ci[1])})
                          </span>
                        )}
                      </td>
                      <td>
                        {c.response === 'fitted curve'
                          ? 'the mix model’s fitted curve'
                          : `elasticity ${model.data.elasticity}`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
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
