// Expressions that would make DuckDB's binder fold huge constants, read the catalog or the plan are
// refused before anything is bound, quickly.
import { describe, expect, it } from 'vitest';
import { checkDefinitions } from '../../metrics/check.ts';
import { testDatabase } from '../helpers/db.ts';

const t = testDatabase();

const HEAD = 'name: m\nlabel: M\ndescription: d\nunit: count\ndirection: up\ntable: orders\ntime: ordered_at\n';
const problemsOf = async (measure: string) =>
  (
    await t.db.read((s) =>
      checkDefinitions(s, [{ file: 'm.yaml', text: `${HEAD}measure: ${JSON.stringify(measure)}\n` }]),
    )
  ).problems;

describe('the sandbox refuses before binding', () => {
  it.each([
    ['count(*) + len(range(100000000))', /range\(\) is not allowed/],
    ["count(*) + length(repeat('x', 1000000000))", /repeat\(\) is not allowed/],
    ["count(*) + length(lpad('x', 1000000000, 'y'))", /lpad\(\) is not allowed/],
    ['count(*) + len(list_value(1, 2))', /list_value\(\) is not allowed/],
    [`count(*) + ${'abs('.repeat(790)}1${')'.repeat(790)}`, /too large to check/],
    [`count(*)${' + 1'.repeat(500)}`, /too large to check/],
    ['count(*) + (select count(*) from (SHOW ALL TABLES))', /show is not allowed/],
    ['count(*) + (select count(*) from (SHOW TABLES))', /show is not allowed/],
    ['count(*) + (select count(*) from (DESCRIBE customers))', /show is not allowed/],
    ['count(*) + (select count(*) from (SUMMARIZE orders))', /show is not allowed/],
    ["count(*) + length(json_serialize_plan('select 1'))", /outside the sandbox|not allowed/],
    ['count(*) + (select count(*) from (values (1), (2)))', /not allowed/],
  ])('%s', async (measure, message) => {
    const started = performance.now();
    const problems = await problemsOf(measure);
    expect(problems.map((p) => p.message).join('; ')).toMatch(message);
    expect(problems.every((p) => p.code === 'outside-sandbox')).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('ordinary measures still pass: arithmetic, dates, text, subqueries over contract tables', async () => {
    for (const measure of [
      'sum(amount) / nullif(count(distinct customer_id), 0)',
      "count(*) filter (where date_part('dow', ordered_at) in (0, 6))",
      "avg(case when lower(trim(order_id)) like 'o%' then 1.0 else 0.0 end)",
      'count(*) - (select count(*) from customers c where c.signup_date <= period_end)',
      'sum(amount) * 100 / greatest(1, count(*))',
    ])
      expect(await problemsOf(measure), measure).toEqual([]);
  });
});
