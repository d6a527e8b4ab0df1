// What the compiler writes, read as SQL: values only as bound parameters (never inlined), the
// customer join only when a customer's column is asked for, the period cut named by the grain, a
// filter before the grouping, and the completeness rule against the as-of parameter.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileSeries, normalizeRequest, type SeriesRequest } from '../../metrics/compile.ts';
import type { Definition } from '../../metrics/definition.ts';

const shipped = (name: string) => parse(readFileSync(`metrics/definitions/${name}.yaml`, 'utf8')) as Definition;
const compile = (name: string, request: SeriesRequest) =>
  compileSeries(shipped(name), normalizeRequest({ asOf: '2026-10-31', ...request }), (n) => shipped(n));

describe('the compiled SQL', () => {
  it('binds every value as a parameter, a hostile one included', () => {
    const hostile = "smb' OR 1=1; DROP TABLE customers; --";
    const q = compile('revenue', { grain: 'month', where: { segment: hostile }, from: '2026-01-01', to: '2026-06-30' });
    expect(q.sql).not.toContain('DROP TABLE');
    expect(q.sql).not.toContain("'smb");
    expect(Object.values(q.params)).toContain(hostile);
    const name = Object.entries(q.params).find(([, v]) => v === hostile)![0];
    expect(q.sql).toMatch(new RegExp(`CAST\\("segment" AS VARCHAR\\) = \\$${name}\\b`));
    expect(q.params).toMatchObject({ from: '2026-01-01' });
  });

  it('joins customers only for a customer dimension, and groups by it', () => {
    const plain = compile('revenue', { grain: 'month' });
    expect(plain.sql).not.toMatch(/JOIN customers/);
    const byRegion = compile('revenue', { grain: 'month', by: 'region' });
    expect(byRegion.sql).toMatch(/LEFT JOIN customers c ON c\.customer_id = t\.customer_id/);
    expect(byRegion.sql).toMatch(/coalesce\(CAST\("region" AS VARCHAR\), '\(none\)'\) AS "group"/);
    expect(byRegion.sql).toMatch(/GROUP BY period_start, period_end, "group"/);
  });

  it('cuts periods by the grain asked for, and calls a period complete only up to the as-of date', () => {
    const step = {
      day: 'INTERVAL 1 DAY',
      week: 'INTERVAL 7 DAY',
      month: 'INTERVAL 1 MONTH',
      quarter: 'INTERVAL 3 MONTH',
    };
    for (const grain of ['day', 'week', 'month', 'quarter'] as const) {
      const q = compile('revenue', { grain });
      expect(q.sql).toContain(`date_trunc('${grain}'`);
      expect(q.sql).toContain(`, ${step[grain]}) r(p)`);
      expect(q.sql).toMatch(/p\.period_end <= CAST\(\$as_of AS DATE\) AS complete/);
    }
  });

  it('keeps the measure and the filter as the definition wrote them, the filter applied before grouping', () => {
    const q = compile('repeat_purchase_rate', { grain: 'month' });
    const d = shipped('repeat_purchase_rate') as Definition & { measure?: string; filter?: string };
    if (d.measure) expect(q.sql).toContain(d.measure.trim());
    if (d.filter) {
      const at = q.sql.indexOf(d.filter.trim());
      expect(at).toBeGreaterThan(-1);
      expect(at).toBeLessThan(q.sql.indexOf('GROUP BY'));
    }
  });
});
