// The budget optimiser: a weekly budget in, the allocation that makes the most of the fitted
// curves out, before and after side by side with the expected KPI and its interval.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, bodyOf } from '../../lib/api.ts';
import { formatMoney, formatValue } from '../../lib/format.ts';
import { ErrorState } from '../States.tsx';
import type { Mix } from './shared.ts';

const number = (v: number) => formatValue('count', v);

export function OptimizerPanel({ mix, controls }: { mix: Mix; controls: string[] }) {
  const [budget, setBudget] = useState('');
  const plan = useMutation({
    mutationFn: async () => {
      const amount = Number(budget);
      return bodyOf(
        api.mix.optimize.$post({
          json: { kpi: mix.kpi, controls, ...(budget && amount > 0 ? { budget: amount } : {}) },
        }),
      );
    },
  });
  return (
    <section className="panel" aria-labelledby="optimizer-title" data-testid="mix-optimizer">
      <h2 id="optimizer-title">Budget optimiser</h2>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          plan.mutate();
        }}
      >
        <label>
          Weekly budget{' '}
          <input
            type="number"
            min={1}
            placeholder="today’s"
            value={budget}
            onChange={(e) => setBudget(e.target.value)}
          />
        </label>
        <button type="submit" disabled={plan.isPending}>
          {plan.isPending ? 'Optimising…' : 'Optimise'}
        </button>
      </form>
      <p className="muted small">
        A model, not a measurement: steady state, each channel between half and twice today’s weekly spend.
      </p>
      {plan.isError && <ErrorState error={plan.error} retry={() => plan.mutate()} />}
      {plan.data && (
        <div className="table-wrap">
          <table className="table" data-testid="mix-plan">
            <caption>
              Expected {mix.kpi} per week, baseline included: today {number(plan.data.kpi_current)}; with this plan{' '}
              {number(plan.data.kpi_proposed)} ({number(plan.data.kpi_proposed_interval[0])}–
              {number(plan.data.kpi_proposed_interval[1])}).{' '}
              {plan.data.kept_today
                ? 'No move of today’s total gains on average across the model’s refits: today’s allocation is kept.'
                : `It gains in ${Math.round(plan.data.gain.share_positive * 100)}% of the model’s refits.`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Today (weekly)</th>
                <th scope="col">Proposed</th>
                <th scope="col">Bounds</th>
              </tr>
            </thead>
            <tbody>
              {plan.data.allocation.map((a) => (
                <tr key={a.channel}>
                  <th scope="row">{a.channel}</th>
                  <td className="num">{formatMoney(a.current)}</td>
                  <td className="num">{formatMoney(a.proposed)}</td>
                  <td className="num">
                    {formatMoney(a.min)}–{a.max === null ? 'open' : formatMoney(a.max)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
