// The comparison as a sortable table: reached, adjusted lift with its interval, naive difference,
// spend, incremental customers and what each costs; each channel's notes below it.
import { formatChange, formatMoney } from '../../lib/format.ts';
import { useRef } from 'react';
import { useStackLabels } from '../../lib/stackLabels.ts';
import { liftText, type Row } from './shared.ts';

/** The columns for an outcome: retained customers are counted and priced; revenue is money with an ROI. */
function columnsFor(outcome: string): Array<{ key: keyof Row; label: string }> {
  const base: Array<{ key: keyof Row; label: string }> = [
    { key: 'channel', label: 'Channel' },
    { key: 'exposed', label: 'Reached' },
    { key: 'lift', label: 'Adjusted lift (95% CI)' },
    { key: 'naive_lift', label: 'Naive difference' },
    { key: 'spend', label: 'Spend' },
  ];
  if (outcome === 'retention')
    return [
      ...base,
      { key: 'incremental', label: 'Incremental retained' },
      { key: 'cost_per_incremental', label: 'Cost per incremental (95% CI)' },
    ];
  if (outcome === 'revenue')
    return [...base, { key: 'incremental', label: 'Incremental revenue' }, { key: 'roi', label: 'ROI (95% CI)' }];
  return base;
}

function IncrementalCell({ r, outcome }: { r: Row; outcome: string }) {
  if (r.incremental === null) return <td className="num">—</td>;
  return (
    <td className="num">
      {outcome === 'revenue' ? formatMoney(r.incremental) : Math.round(r.incremental).toLocaleString()}
    </td>
  );
}

function CostCell({ r }: { r: Row }) {
  return (
    <td className="num">
      {r.cost_per_incremental === null ? (
        r.lift === null ? (
          '—'
        ) : (
          <span className="muted">not estimable</span>
        )
      ) : (
        formatMoney(r.cost_per_incremental)
      )}
      {r.cost_ci ? (
        <span className="muted">
          {' '}
          ({formatMoney(r.cost_ci[0])} – {formatMoney(r.cost_ci[1])})
        </span>
      ) : null}
    </td>
  );
}

// A return on spend as a signed percent ("+12.0%", "−96.0%"): the change from each unit spent to what it brought.
const percent = (v: number) => formatChange('currency', 1, 1 + v);

function RoiCell({ r }: { r: Row }) {
  return (
    <td className="num">
      {r.roi === null ? '—' : percent(r.roi)}
      {r.roi_ci ? (
        <span className="muted">
          {' '}
          ({percent(r.roi_ci[0])} to {percent(r.roi_ci[1])})
        </span>
      ) : null}
    </td>
  );
}

export interface ChannelTableProps {
  rows: Row[];
  outcome: string;
  caption: string;
  sort: string;
  dir: string;
  onSort: (sort: string, dir: 'asc' | 'desc') => void;
}

export function ChannelTable({ rows, outcome, caption, sort, dir, onSort }: ChannelTableProps) {
  const stackRef = useRef<HTMLTableElement>(null);
  useStackLabels(stackRef);
  const columns = columnsFor(outcome);
  return (
    <div className="table-wrap">
      <table className="table stack" ref={stackRef} data-testid="channel-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                aria-sort={sort === c.key ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
              >
                <button
                  type="button"
                  className="sort"
                  onClick={() => onSort(c.key, sort === c.key && dir === 'desc' ? 'asc' : 'desc')}
                >
                  {c.label} {sort === c.key ? (dir === 'asc' ? '▲' : '▼') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.channel} data-channel={r.channel}>
              <th scope="row">{r.channel}</th>
              <td className="num">{r.exposed.toLocaleString()}</td>
              <td className="num">
                {liftText(outcome, r.lift)}
                {r.ci ? (
                  <span className="muted">
                    {' '}
                    ({liftText(outcome, r.ci[0])} to {liftText(outcome, r.ci[1])})
                  </span>
                ) : null}
              </td>
              <td className="num">{liftText(outcome, r.naive_lift)}</td>
              <td className="num">{formatMoney(r.spend)}</td>
              {outcome === 'retention' && (
                <>
                  <IncrementalCell r={r} outcome={outcome} />
                  <CostCell r={r} />
                </>
              )}
              {outcome === 'revenue' && (
                <>
                  <IncrementalCell r={r} outcome={outcome} />
                  <RoiCell r={r} />
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="muted small" data-testid="channel-diagnostics">
        {rows
          .filter((r) => r.lift !== null)
          .map((r) => (
            <li key={r.channel}>{diagnosticsText(r, outcome)}</li>
          ))}
      </ul>
      {rows
        .flatMap((r) => r.notes.map((n) => `${r.channel}: ${n}`))
        .map((n) => (
          <p key={n} className="muted small">
            {n}
          </p>
        ))}
    </div>
  );
}

/**
 * What a channel's lift rests on, in plain words: told apart from no effect, confounding, overlap,
 * the placebo, the simpler estimate beside it and, for surveys, who answered.
 */
function diagnosticsText(r: Row, outcome: string): string {
  const told =
    r.q_value === null
      ? 'no test'
      : r.distinguishable
        ? `told apart from no effect across the page (q = ${r.q_value.toFixed(3)})`
        : `not told apart from no effect once every channel on the page is counted (q = ${r.q_value.toFixed(2)})`;
  const e = r.e_value
    ? `; a hidden factor would have to be ${r.e_value.point.toFixed(1)}× tied to both reach and the outcome to ` +
      'explain it away'
    : '';
  const kept = Math.round((1 - r.overlap.dropped_share) * 100);
  const overlap = r.overlap.dropped_share > 0 ? `; compares ${kept}% of the reached (${r.estimand})` : '';
  const placebo = r.placebo.flagged
    ? '; placebo flagged: the reached already behaved differently before the channel could act, so this lift is biased'
    : r.placebo.lift === null
      ? ''
      : '; placebo clean';
  const check =
    (r.cross_check.lift === null ? '' : `; weighting alone reads ${liftText(outcome, r.cross_check.lift)}`) +
    (r.stratified.lift === null ? '' : `; exact stratification ${liftText(outcome, r.stratified.lift)}`);
  const answered = r.response_rate
    ? `; answered: ${Math.round(r.response_rate.reached * 100)}% of the reached, ` +
      `${Math.round(r.response_rate.not_reached * 100)}% of the others (unweighted lift ` +
      `${liftText(outcome, r.unweighted?.lift ?? null)})`
    : '';
  return `${r.channel}: ${told}${e}${overlap}${placebo}${check}${answered}.`;
}
