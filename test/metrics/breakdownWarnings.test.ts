// "Orders per active customer" written with a subquery for the denominator checks as valid, and its
// breakdowns divide each segment's orders by every customer: bearing check warns (through the real
// binary); a subquery that follows the row (repeat_purchase_rate's) is fine.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { breakdownWarnings, subqueriesOf } from '../../metrics/breakdownWarnings.ts';
import { SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';
import type { AggregateDefinition, Definition } from '../../metrics/definition.ts';
import { makeWorkspace } from '../helpers/workspace.ts';

const PER_CUSTOMER = `name: orders_per_active_customer
label: Orders per active customer
description: Orders in the period per customer active in it.
unit: number
direction: up
table: orders
time: ordered_at
measure: |
  count(*) / (select count(*) from customers c
    where c.signup_date <= period_end and (c.churn_date is null or c.churn_date >= period_start))
dimensions: [segment, region]
`;

describe('a measure whose subquery ignores the breakdown', () => {
  it('is named; one that follows the row is not', () => {
    const bad = parse(PER_CUSTOMER) as Definition;
    const [w] = breakdownWarnings([bad]);
    expect(w?.metric).toBe('orders_per_active_customer');
    expect(w?.message).toMatch(/one value per period, so a breakdown by segment, region divides each group's rows/);
    const repeat = parse(
      readFileSync(join(SHIPPED_METRICS_DIR, 'repeat_purchase_rate.yaml'), 'utf8'),
    ) as AggregateDefinition;
    expect(subqueriesOf(repeat.measure)).toHaveLength(1);
    expect(breakdownWarnings([repeat])).toEqual([]);
    // Without dimensions there is no breakdown to mislead.
    expect(breakdownWarnings([{ ...bad, dimensions: undefined } as Definition])).toEqual([]);
  });

  it('is warned about by bearing check, which still passes', () => {
    const ws = makeWorkspace();
    try {
      copyFileSync(join(SHIPPED_METRICS_DIR, 'repeat_purchase_rate.yaml'), join(ws.dir, 'metrics/definitions/r.yaml'));
      ws.write('metrics/definitions/orders_per_active_customer.yaml', PER_CUSTOMER);
      const r = ws.bearing('check', '--metrics', join(ws.dir, 'metrics/definitions'));
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/warning: .*orders_per_active_customer\.yaml: its measure has a subquery that does not/);
      expect(r.stderr).not.toMatch(/repeat_purchase_rate/);
    } finally {
      ws.cleanup();
    }
  });
});
