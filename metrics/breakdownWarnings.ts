// A measure with a subquery that does not follow the row (no reference to the row's table or to a
// dimension) computes one value per period: broken down by segment, each group's rows are divided by
// the whole's ("orders per active customer" read 0.12 per segment against a 0.366 total). The
// definition still checks; the breakdown is what would mislead, so bearing check warns. Pure.
import { isDerived, type Definition } from './definition.ts';
import type { DefinitionWarning } from './lifecycleWarnings.ts';

/** Each parenthesised SELECT in an expression, as written. */
export function subqueriesOf(sql: string): string[] {
  const out: string[] = [];
  const lower = sql.toLowerCase();
  for (const m of lower.matchAll(/\(\s*select\b/g)) {
    let depth = 0;
    for (let i = m.index!; i < sql.length; i++) {
      if (sql[i] === '(') depth++;
      else if (sql[i] === ')' && --depth === 0) {
        out.push(sql.slice(m.index!, i + 1));
        break;
      }
    }
  }
  return out;
}

export function breakdownWarnings(definitions: Definition[]): DefinitionWarning[] {
  return definitions.flatMap((d) => {
    if (isDerived(d) || !d.dimensions?.length) return [];
    const follows = (q: string) =>
      new RegExp(`\\b${d.table}\\s*\\.`, 'i').test(q) ||
      d.dimensions!.some((dim) => new RegExp(`\\b${dim}\\b`, 'i').test(q));
    const fixed = subqueriesOf(d.measure).filter((q) => !follows(q));
    if (!fixed.length) return [];
    const shown = fixed[0]!.replace(/\s+/g, ' ').slice(0, 60);
    return [
      {
        metric: d.name,
        message:
          `its measure has a subquery that does not follow the row (${shown}…): ` +
          `it is one value per period, so a breakdown by ${d.dimensions!.join(', ')} divides each group's rows ` +
          `by the whole's and reads wrong; write it as a ratio metric (numerator: and denominator:, each a measure ` +
          `over its own table) or refer to ${d.table}.<column> inside the subquery`,
      },
    ];
  });
}
