// The plan's question: a planning period in money, then either moves between channels ("move 20%
// of tv to paid_search", the total kept) or the best use of a total within per-channel limits.
import { useState } from 'react';
import { formatMoney } from '../../lib/format.ts';
import type { Budget } from './shared.ts';

export interface PlanRequest {
  kpi: string;
  period: string;
  moves?: Array<{ from: string; to: string; share: number }>;
  total?: number;
  target?: number;
  bounds?: Record<string, { min?: number; max?: number }>;
  fixed?: string[];
}

/** The next four quarters and the next year, from today. */
export function periodChoices(today = new Date()): string[] {
  const y = today.getFullYear();
  const q = Math.floor(today.getMonth() / 3) + 1;
  const quarters = Array.from({ length: 4 }, (_, i) => {
    const n = q + i; // the quarter after this one, then three more
    return `${y + Math.floor(n / 4)}-Q${(n % 4) + 1}`;
  });
  return [...quarters, String(y + 1)];
}

interface MoveRow {
  from: string;
  to: string;
  percent: string;
}

type Limits = Record<string, { min: string; max: string; fixed: boolean }>;

// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one form, its two modes side by side in markup.
export function PlanForm({
  budget,
  pending,
  onPlan,
}: {
  budget: Budget;
  pending: boolean;
  onPlan: (r: PlanRequest) => void;
}) {
  const choices = periodChoices();
  const priced = budget.channels.filter((c) => c.kpi_per_unit !== null).map((c) => c.channel);
  const [period, setPeriod] = useState(choices[0]!);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [mode, setMode] = useState<'moves' | 'allocate' | 'target'>('moves');
  const [target, setTarget] = useState('');
  const [moves, setMoves] = useState<MoveRow[]>([
    {
      from: priced.includes('tv') ? 'tv' : (priced[0] ?? ''),
      to: priced.includes('paid_search') ? 'paid_search' : (priced[1] ?? ''),
      percent: '20',
    },
  ]);
  const [total, setTotal] = useState('');
  const [limits, setLimits] = useState<Limits>({});
  const setMove = (i: number, patch: Partial<MoveRow>) =>
    setMoves((all) => all.map((m, j) => (i === j ? { ...m, ...patch } : m)));
  const setLimit = (channel: string, patch: Partial<Limits[string]>) =>
    setLimits((all) => ({ ...all, [channel]: { min: '', max: '', fixed: false, ...all[channel], ...patch } }));
  const submit = () => {
    const base = { kpi: budget.kpi, period: period === 'dates' ? `${from}..${to}` : period };
    if (mode === 'moves')
      return onPlan({ ...base, moves: moves.map((m) => ({ from: m.from, to: m.to, share: Number(m.percent) / 100 })) });
    const bounds = Object.fromEntries(
      Object.entries(limits)
        .filter(([, l]) => !l.fixed && (l.min !== '' || l.max !== ''))
        .map(([c, l]) => [
          c,
          { ...(l.min !== '' ? { min: Number(l.min) } : {}), ...(l.max !== '' ? { max: Number(l.max) } : {}) },
        ]),
    );
    const fixed = Object.entries(limits)
      .filter(([, l]) => l.fixed)
      .map(([c]) => c);
    onPlan({
      ...base,
      ...(mode === 'allocate' && total !== '' && Number(total) > 0 ? { total: Number(total) } : {}),
      ...(mode === 'target' && target !== '' ? { target: Number(target) } : {}),
      ...(Object.keys(bounds).length ? { bounds } : {}),
      ...(fixed.length ? { fixed } : {}),
    });
  };
  const options = priced.map((c) => (
    <option key={c} value={c}>
      {c}
    </option>
  ));
  return (
    <form
      className="plan-form"
      aria-label="Plan a budget"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="filters">
        <label>
          Planning period{' '}
          <select value={period} onChange={(e) => setPeriod(e.target.value)}>
            {choices.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
            <option value="dates">Dates…</option>
          </select>
        </label>
        {period === 'dates' && (
          <>
            <label>
              From <input type="date" required value={from} onChange={(e) => setFrom(e.target.value)} />
            </label>
            <label>
              To <input type="date" required value={to} onChange={(e) => setTo(e.target.value)} />
            </label>
          </>
        )}
      </div>
      <fieldset className="mode">
        <legend>Question</legend>
        <label>
          <input type="radio" name="mode" checked={mode === 'moves'} onChange={() => setMode('moves')} /> Move money
          between channels
        </label>
        <label>
          <input type="radio" name="mode" checked={mode === 'allocate'} onChange={() => setMode('allocate')} /> Best use
          of a total
        </label>
        <label>
          <input type="radio" name="mode" checked={mode === 'target'} onChange={() => setMode('target')} /> Reach a
          target for the least spend
        </label>
      </fieldset>
      {mode === 'moves' ? (
        <div data-testid="budget-moves">
          {moves.map((m, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity besides their place
            <div className="filters move" key={i}>
              <label>
                Move{' '}
                <input
                  type="number"
                  min={1}
                  max={100}
                  required
                  className="percent"
                  value={m.percent}
                  onChange={(e) => setMove(i, { percent: e.target.value })}
                />
                % of
              </label>
              <label>
                from{' '}
                <select value={m.from} onChange={(e) => setMove(i, { from: e.target.value })}>
                  {options}
                </select>
              </label>
              <label>
                to{' '}
                <select value={m.to} onChange={(e) => setMove(i, { to: e.target.value })}>
                  {options}
                </select>
              </label>
              {moves.length > 1 && (
                <button
                  type="button"
                  className="text-button"
                  onClick={() => setMoves((all) => all.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
              )}
            </div>
          ))}
          <button type="button" className="text-button" onClick={() => setMoves((all) => [...all, { ...all.at(-1)! }])}>
            Add a move
          </button>
        </div>
      ) : (
        <div data-testid="budget-allocate">
          <div className="filters">
            {mode === 'target' ? (
              <label>
                {budget.label} to reach over the period{' '}
                <input
                  type="number"
                  min={0}
                  required
                  value={target}
                  onChange={(e) => setTarget(e.target.value)}
                  data-testid="budget-target"
                />
              </label>
            ) : null}
            <label hidden={mode === 'target'}>
              Total for the period{' '}
              <input
                type="number"
                min={1}
                placeholder="today’s"
                value={total}
                onChange={(e) => setTotal(e.target.value)}
              />
            </label>
          </div>
          <details>
            <summary>Limits per channel (default: half to twice today’s spend)</summary>
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Channel</th>
                    <th scope="col">Least</th>
                    <th scope="col">Most</th>
                    <th scope="col">Keep as today</th>
                  </tr>
                </thead>
                <tbody>
                  {priced.map((c) => (
                    <tr key={c}>
                      <th scope="row">{c}</th>
                      <td>
                        <input
                          type="number"
                          min={0}
                          aria-label={`${c}: least spend`}
                          value={limits[c]?.min ?? ''}
                          onChange={(e) => setLimit(c, { min: e.target.value })}
                        />
                      </td>
                      <td>
                        <input
                          type="number"
                          min={0}
                          aria-label={`${c}: most spend`}
                          value={limits[c]?.max ?? ''}
                          onChange={(e) => setLimit(c, { max: e.target.value })}
                        />
                      </td>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`${c}: keep at today’s spend`}
                          checked={limits[c]?.fixed ?? false}
                          onChange={(e) => setLimit(c, { fixed: e.target.checked })}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </div>
      )}
      <p className="muted small">
        Amounts are for the whole period in {formatMoney(0).replace(/[\d.,\s]/g, '') || 'money'}. Today’s spend is the
        last 12 months’ scaled to the period.
      </p>
      <button type="submit" disabled={pending}>
        {pending ? 'Planning…' : 'Plan'}
      </button>
    </form>
  );
}
