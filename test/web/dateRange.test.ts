// The shared date range's arithmetic (web/src/lib/dateRange.ts): presets counted back from the
// data's latest date, the compared period's dates, and figures paired period by period.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alignCompared,
  comparisonRange,
  comparisonShift,
  monthsWithin,
  pairedFigures,
  periodEnd,
  presetOf,
  rangeProblem,
  resolveRange,
  shiftBack,
} from '../../web/src/lib/dateRange.ts';

const view = (v: Partial<{ range: string; from: string; to: string; compare: string }>) => ({
  range: '',
  from: '',
  to: '',
  compare: '',
  ...v,
});
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const t = (d: string) => Date.parse(`${d}T00:00:00Z`);
const monthIndex = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;

/** A range of 1 day to 3 years somewhere in 2015–2030. */
const spans = fc
  .tuple(fc.integer({ min: t('2015-01-01') / DAY, max: t('2030-01-01') / DAY }), fc.integer({ min: 0, max: 1100 }))
  .map(([start, length]) => ({ from: iso(start * DAY), to: iso((start + length) * DAY) }));

describe('presets', () => {
  it('count back whole months from the data’s latest date, not the clock', () => {
    expect(resolveRange(view({ range: '6m' }), '2026-10-23')).toEqual({ from: '2026-05-01', to: '2026-10-23' });
    expect(resolveRange(view({ range: '3m' }), '2026-01-31')).toEqual({ from: '2025-11-01', to: '2026-01-31' });
    expect(resolveRange(view({ range: 'ytd' }), '2026-10-23')).toEqual({ from: '2026-01-01', to: '2026-10-23' });
    expect(resolveRange(view({ range: '12m' }), null)).toBeNull();
    expect(resolveRange(view({}), null)).toEqual({});
  });

  it('read older links: dates alone mean custom, an unknown word means all time', () => {
    expect(presetOf(view({ from: '2026-01-01' }))).toBe('custom');
    expect(presetOf(view({ range: 'bogus' }))).toBe('all');
    expect(resolveRange(view({ from: '2026-01-01' }), null)).toEqual({ from: '2026-01-01', to: undefined });
  });

  it('refuse custom dates the wrong way round, in words, and ask for nothing', () => {
    const backwards = view({ range: 'custom', from: '2026-06-01', to: '2026-01-01' });
    expect(rangeProblem(backwards)).toMatch(/From \(2026-06-01\) is after To \(2026-01-01\)/);
    expect(resolveRange(backwards, '2026-10-01')).toBeNull();
  });
});

describe('the compared period', () => {
  it('at day grain: as long as the range and ending the day before it', () => {
    fc.assert(
      fc.property(spans, (span) => {
        const before = comparisonRange(span, 'day', 'previous');
        expect(t(before.to)).toBe(t(span.from) - DAY);
        expect(t(before.to) - t(before.from)).toBe(t(span.to) - t(span.from));
      }),
    );
  });

  it('at week grain: moved back whole weeks, so week starts line up', () => {
    fc.assert(
      fc.property(spans, fc.constantFrom<'previous' | 'year'>('previous', 'year'), (span, c) => {
        const shift = comparisonShift(span, 'week', c);
        if (!('days' in shift)) throw new Error('a week grain moves by days');
        expect(shift.days % 7).toBe(0);
        if (c === 'previous') expect(shift.days * DAY).toBeGreaterThanOrEqual(t(span.to) - t(span.from) + DAY);
        else expect(shift.days).toBe(364);
        expect(new Date(shiftBack(span.from, shift)).getUTCDay()).toBe(new Date(span.from).getUTCDay());
      }),
    );
  });

  it('at month grain: the same number of whole months, just before (or a year before), never cut short', () => {
    fc.assert(
      fc.property(spans, (span) => {
        const before = comparisonRange(span, 'month', 'previous');
        const touched = monthIndex(span.to) - monthIndex(span.from) + 1;
        expect(monthIndex(before.to) - monthIndex(before.from) + 1).toBe(touched);
        expect(before.from.slice(8)).toBe('01');
        // It ends on its month's last day, the month before the range's first.
        expect(iso(t(before.to) + DAY).slice(8)).toBe('01');
        expect(monthIndex(before.to)).toBe(monthIndex(span.from) - 1);
        const year = comparisonRange(span, 'month', 'year');
        expect(monthIndex(year.from)).toBe(monthIndex(span.from) - 12);
        expect(monthIndex(year.to)).toBe(monthIndex(span.to) - 12);
      }),
    );
  });

  it('at quarter grain: moved back whole quarters, at least as many months as the range touches', () => {
    fc.assert(
      fc.property(spans, (span) => {
        const shift = comparisonShift(span, 'quarter', 'previous');
        if (!('months' in shift)) throw new Error('a quarter grain moves by months');
        expect(shift.months % 3).toBe(0);
        expect(shift.months).toBeGreaterThanOrEqual(monthIndex(span.to) - monthIndex(span.from) + 1);
        expect(monthIndex(comparisonRange(span, 'quarter', 'previous').from)).toBe(
          monthIndex(span.from) - shift.months,
        );
      }),
    );
  });

  it('a day moved back by months keeps its day of month, or the month’s last', () => {
    expect(shiftBack('2026-03-31', { months: 1 })).toBe('2026-02-28');
    expect(shiftBack('2024-03-31', { months: 1 })).toBe('2024-02-29');
    expect(shiftBack('2026-10-23', { months: 12 })).toBe('2025-10-23');
  });
});

describe('the periods a comparison is named by', () => {
  it('end where their last period ends, at every grain', () => {
    expect(periodEnd('2026-07-01', 'quarter')).toBe('2026-09-30');
    expect(periodEnd('2024-02-01', 'month')).toBe('2024-02-29');
    expect(periodEnd('2026-11-30', 'week')).toBe('2026-12-06');
    expect(periodEnd('2026-11-30', 'day')).toBe('2026-11-30');
  });

  it('are the quarters the figures summed, not the range’s own dates', () => {
    const row = (period: string, value: number) => ({ period, value, complete: true });
    const now = [row('2026-01-01', 1), row('2026-04-01', 2), row('2026-07-01', 3)];
    const before = [row('2025-10-01', 4), row('2026-01-01', 5), row('2026-04-01', 6)];
    expect(pairedFigures('currency', now, alignCompared(now, before, { months: 3 })).comparedPeriods).toEqual({
      first: '2025-10-01',
      last: '2026-04-01',
    });
  });
});

describe('figures paired period by period', () => {
  const row = (period: string, value: number | null, complete = true) => ({ period, value, complete });

  it('drop an unfinished period from both sides: a total never sets two months against three', () => {
    const now = [row('2026-08-01', 10), row('2026-09-01', 20), row('2026-10-01', 4, false)];
    const before = [row('2026-05-01', 5), row('2026-06-01', 5), row('2026-07-01', 50)];
    const f = pairedFigures('currency', now, alignCompared(now, before, { months: 3 }));
    expect(f).toEqual({
      now: 30,
      before: 10,
      compared: 2,
      of: 3,
      how: 'total',
      comparedPeriods: { first: '2026-05-01', last: '2026-06-01' },
    });
    expect(pairedFigures('ratio', now, alignCompared(now, before, { months: 3 })).now).toBe(15);
  });

  it('line up by period, so a gap on either side never slides the pairs out of step', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.float({ min: 0, max: 1e6, noNaN: true }), { nil: null }), {
          minLength: 1,
          maxLength: 24,
        }),
        fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }),
        (values, kept) => {
          const months = values.map((v, i) =>
            row(`${2026 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`, v),
          );
          // The same values a year before, with some periods missing altogether.
          const yearBefore = months
            .filter((_, i) => kept[i])
            .map((r) => ({ ...r, period: shiftBack(r.period, { months: 12 }) }));
          const f = pairedFigures('count', months, alignCompared(months, yearBefore, { months: 12 }));
          expect(f.now).toBe(f.before);
          expect(f.compared).toBe(months.filter((r, i) => kept[i] && r.value !== null).length);
        },
      ),
    );
  });

  it('a monthly series keeps the months that overlap the range', () => {
    const months = ['2026-01-01', '2026-02-01', '2026-03-01'].map((p) => row(p, 1));
    expect(monthsWithin(months, { from: '2026-01-15', to: '2026-02-10' }).map((r) => r.period)).toEqual([
      '2026-01-01',
      '2026-02-01',
    ]);
    expect(monthsWithin(months, {})).toHaveLength(3);
  });
});
