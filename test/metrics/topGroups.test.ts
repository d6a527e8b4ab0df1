// --top N: a breakdown kept to its largest groups, the rest folded into "(other)" so that nothing
// is lost: money and counts add up to the same period totals, rates average by their rows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keepTopGroups, OTHER_GROUP } from '../../metrics/topGroups.ts';
import { makeWorkspace } from '../helpers/workspace.ts';
import { SAMPLE_DB } from '../globalSetup.ts';
import { copyFileSync } from 'node:fs';
import { SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';

const rowsArb = fc
  .array(
    fc.record({
      period: fc.constantFrom('2026-01-01', '2026-02-01', '2026-03-01'),
      group: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      value: fc.option(fc.double({ min: 0, max: 1000, noNaN: true }), { nil: null }),
      n: fc.integer({ min: 0, max: 50 }),
      complete: fc.boolean(),
    }),
    { maxLength: 40 },
  )
  .map((rows) => {
    const seen = new Set<string>();
    return rows.filter((r) => !seen.has(`${r.period}|${r.group}`) && seen.add(`${r.period}|${r.group}`));
  });

const byPeriod = <R extends { period: string }>(rows: R[], f: (rs: R[]) => number) =>
  Object.fromEntries([...new Set(rows.map((r) => r.period))].map((p) => [p, f(rows.filter((r) => r.period === p))]));

describe('keepTopGroups', () => {
  it('keeps at most top groups plus (other); money and counts keep every period total', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 1, max: 6 }), (rows, top) => {
        const { rows: kept, folded } = keepTopGroups(rows, top, 'currency');
        const groups = new Set(kept.map((r) => r.group));
        expect(groups.size).toBeLessThanOrEqual(top + 1);
        expect(folded).toBe(Math.max(0, new Set(rows.map((r) => r.group)).size - top));
        const total = (rs: Array<{ value: number | null }>) => rs.reduce((a, r) => a + (r.value ?? 0), 0);
        const before = byPeriod(rows, total);
        const after = byPeriod(kept, total);
        for (const p of Object.keys(before)) expect(after[p]).toBeCloseTo(before[p]!, 6);
        const n = (rs: Array<{ n: number }>) => rs.reduce((a, r) => a + r.n, 0);
        expect(byPeriod(kept, n)).toEqual(byPeriod(rows, n));
      }),
    );
  });

  it('averages a rate over the folded groups by their rows', () => {
    const rows = [
      { period: 'p', group: 'big', value: 0.5, n: 100, complete: true },
      { period: 'p', group: 'x', value: 0.2, n: 10, complete: true },
      { period: 'p', group: 'y', value: 0.8, n: 30, complete: false },
    ];
    const { rows: kept } = keepTopGroups(rows, 1, 'ratio');
    const other = kept.find((r) => r.group === OTHER_GROUP)!;
    expect(other.value).toBeCloseTo((0.2 * 10 + 0.8 * 30) / 40, 12);
    expect(other).toMatchObject({ n: 40, complete: false });
  });
});

describe('bearing query --top', () => {
  it('prints the largest groups and (other), with the same totals per month', () => {
    const ws = makeWorkspace();
    try {
      copyFileSync(SAMPLE_DB, ws.db);
      const args = ['query', 'revenue', '--db', ws.db, '--metrics', SHIPPED_METRICS_DIR, '--by', 'region'];
      const all = JSON.parse(ws.bearing(...args, '--json').stdout).rows as Array<{
        period: string;
        group: string;
        value: number;
      }>;
      const top = ws.bearing(...args, '--top', '2', '--json');
      expect(top.status, top.stderr).toBe(0);
      const series = JSON.parse(top.stdout);
      expect(new Set(series.rows.map((r: { group: string }) => r.group)).size).toBe(3);
      expect(series.other_groups).toBe(new Set(all.map((r) => r.group)).size - 2);
      const sum = (rows: Array<{ period: string; value: number }>, p: string) =>
        rows.filter((r) => r.period === p).reduce((a, r) => a + (r.value ?? 0), 0);
      for (const p of new Set(all.map((r) => r.period))) expect(sum(series.rows, p)).toBeCloseTo(sum(all, p), 4);
      const table = ws.bearing(...args, '--top', '2');
      expect(table.stdout).toMatch(/\(other\) holds the \d+ smaller region values beyond the top 2/);
      // Money in the table as every page writes it: the workspace's currency, whole units.
      expect(table.stdout).toMatch(/^\d{4}-\d{2}-01 +\S+ +\$\d{1,3}(,\d{3})+ +\d+/m);
      expect(ws.bearing(...args, '--top', '0').status).toBe(2);
    } finally {
      ws.cleanup();
    }
  }, 120_000);
});
