import type { ContractTable } from '../contract.ts';
import type { CoverageChange } from '../schema.ts';
import type { ImportOptions } from './report.ts';

/** The tables an import wrote, and the complete-through date it declared for them, if any. */
export function coverageChange(tables: ContractTable[], options: ImportOptions): CoverageChange {
  const declared = options.completeThrough;
  return { touched: tables, declared: declared ? Object.fromEntries(tables.map((t) => [t, declared])) : undefined };
}
