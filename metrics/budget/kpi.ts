// Which KPIs a budget can be planned on, and which evidence measures them. Channels are compared
// in KPI per unit of spend over a period, so the KPI must add up over time (an amount or a count
// of events: revenue, orders, signups); a level (active customers) or a score (NPS) does not. The
// customer-level comparison measures order revenue: it is evidence on a KPI that is order revenue,
// or a sum with order revenue as one of its terms (online plus store revenue). Pure.
import { referencedMetrics } from '../compile.ts';
import { type Definition, isDerived } from '../definition.ts';

type Resolve = (name: string) => Definition | undefined;

const squash = (sql: string) => sql.toLowerCase().replace(/\s+/g, '');

/** Why a KPI cannot be budgeted, or null when it can. */
export function notAdditive(d: Definition, resolve: Resolve, seen = new Set<string>()): string | null {
  if (seen.has(d.name)) return null;
  seen.add(d.name);
  if (isDerived(d)) {
    const parts = referencedMetrics(d.expression, resolve);
    let rest = d.expression;
    for (const p of parts) rest = rest.replace(new RegExp(`\\b${p}\\b`, 'g'), '');
    if (!/^[\s+()]*$/.test(rest))
      return `${d.name} is ${d.expression}: only a sum of metrics adds up over time (a ratio or a difference does not)`;
    for (const p of parts) {
      const why = notAdditive(resolve(p)!, resolve, seen);
      if (why) return why;
    }
    return null;
  }
  if (d.active_until)
    return (
      `${d.name} counts what is active in each period (a level): it does not add up over time; plan on a flow, ` +
      'such as revenue or new customers'
    );
  if (!['currency', 'count', 'number'].includes(d.unit))
    return (
      `${d.name} is a ${d.unit}: it does not add up over time; plan on an amount or a count, such as revenue or ` +
      'promoters'
    );
  if (!/^(sum|count)\(/.test(squash(d.measure)))
    return `${d.name} is measured as ${d.measure}: only a sum or a count adds up over time`;
  return null;
}

/** True when the KPI is order revenue, or a sum with order revenue as exactly one of its terms. */
export function measuresOrderRevenue(d: Definition, resolve: Resolve, seen = new Set<string>()): boolean {
  if (seen.has(d.name)) return false;
  seen.add(d.name);
  if (!isDerived(d)) return d.table === 'orders' && squash(d.measure) === 'sum(amount)' && !d.filter;
  const parts = referencedMetrics(d.expression, resolve);
  return parts.filter((p) => measuresOrderRevenue(resolve(p)!, resolve, seen)).length === 1;
}
