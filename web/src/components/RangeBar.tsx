// The shared date range and its comparison, above every metric and goal chart: a preset or custom
// dates, what to compare with, and the dates they stand for in words.
import { COMPARISONS, PRESETS } from '../lib/dateRange.ts';
import { formatDate } from '../lib/format.ts';
import type { DateRange } from '../lib/useDateRange.ts';

function spanText(range: DateRange): string {
  if (range.preset === 'all' || !range.span) return 'All the history there is.';
  const { from, to } = range.span;
  const end = to ? formatDate(to) : 'the latest data';
  const latest = range.preset !== 'custom' ? ' (the latest data)' : '';
  return `${from ? formatDate(from) : 'The first data'} to ${end}${latest}.`;
}

/** One <option> per entry: the value in the link, the words on screen. */
const optionsOf = (choices: Record<string, string>) =>
  Object.entries(choices).map(([value, label]) => (
    <option key={value} value={value}>
      {label}
    </option>
  ));

export function RangeBar({ range, note }: { range: DateRange; note?: string }) {
  const { view, preset } = range;
  return (
    <form className="filters range-bar" aria-label="Date range" onSubmit={(e) => e.preventDefault()}>
      <label>
        Range{' '}
        <select
          value={preset}
          // Custom starts from the dates on screen, so the reader edits them rather than starting blank.
          onChange={(e) =>
            range.set(
              e.target.value === 'custom'
                ? { range: 'custom', from: range.span?.from ?? '', to: range.span?.to ?? '' }
                : { range: e.target.value },
            )
          }
        >
          {optionsOf(PRESETS)}
        </select>
      </label>
      {preset === 'custom' && (
        <>
          <label>
            From{' '}
            <input
              type="date"
              value={view.from}
              onChange={(e) => range.set({ range: 'custom', from: e.target.value })}
            />
          </label>
          <label>
            To{' '}
            <input type="date" value={view.to} onChange={(e) => range.set({ range: 'custom', to: e.target.value })} />
          </label>
        </>
      )}
      <label>
        Compare with{' '}
        <select value={range.compare} onChange={(e) => range.set({ compare: e.target.value })}>
          {optionsOf(COMPARISONS)}
        </select>
      </label>
      <p className="muted range-text" data-testid="range-text">
        {spanText(range)} The same range on every metric and goal page{note ? `; ${note}` : ''}.
      </p>
      {range.problem && (
        <p role="alert" className="error-text">
          {range.problem}
        </p>
      )}
    </form>
  );
}
