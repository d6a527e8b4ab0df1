// What an import answers: the report of what landed, or every problem by file and line (the
// first 20 of them and the total), and how the CLI and API print it.
import { BearingError } from '../errors.ts';
import type { ContractTable } from '../contract.ts';
import type { LifecycleSettings } from '../lifecycle.ts';

export const MAX_REPORTED_PROBLEMS = 20;

export interface ImportFile {
  path: string;
  /** Table to load into; defaults to the file's base name. */
  table?: string;
  /** Name shown in reports (defaults to the file's base name). */
  label?: string;
}

export interface ImportProblem {
  file: string;
  line: number;
  column: string;
  value: string | null;
  problem: string;
  expected?: string;
}

export interface TableSummary {
  table: ContractTable;
  files: string[];
  rows_read: number;
  /** Rows read and then left out because a later row had the same declared key (sources' `key`). */
  collapsed?: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Stored rows a full refresh removed because its sources no longer give them. */
  deleted?: number;
}

export interface ImportReport {
  ok: boolean;
  tables: TableSummary[];
  warnings: string[];
  problems: ImportProblem[];
  problem_count: number;
  data_version_changed: boolean;
  /** How the rows were loaded: 'first_load' (empty tables, converted while read) or 'careful'. */
  method?: 'first_load' | 'careful';
}

export type ImportProgress =
  | { phase: 'read'; file: string; table: ContractTable; percent: number }
  | { phase: 'validate'; table: ContractTable }
  | { phase: 'write'; table: ContractTable; rows: number };

/** A kept column's declared type: numbers are compared as numbers, text as its values. */
export type KeptType = 'number' | 'text';

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** Skip the first-load path even into empty tables (same result, slower; for comparison and diagnosis). */
  careful?: boolean;
  /** Declare every imported table complete through this date (YYYY-MM-DD) instead of its latest date. */
  completeThrough?: string;
  /** Per table (a sync's sources may each declare one): wins over completeThrough for its table. */
  completeThroughByTable?: Partial<Record<ContractTable, string>>;
  /** Per table: kept extra columns, and a declared key whose repeats collapse (the later row wins). */
  layouts?: Partial<Record<ContractTable, { extras?: string[]; key?: string[]; types?: Record<string, KeptType> }>>;
  /** Replace each imported table's rows by exactly what the import gives (deletes included). */
  fullRefresh?: boolean;
  /** Workspace choices for dates the sources do not give (see data/lifecycle.ts). */
  lifecycle?: LifecycleSettings;
  /** Check and count everything, then roll back: what the import would do (bearing sources check). */
  dryRun?: boolean;
  /** For the import history: who ran it (a role and token label), what kind, which sources. */
  who?: string;
  kind?: 'import' | 'sync';
  sources?: string[];
}

/** The rejection of a whole import: nothing changed, and the report says why. */
export function rejected(problems: ImportProblem[], count: number, warnings: string[]): BearingError {
  const report: ImportReport = {
    ok: false,
    tables: [],
    warnings,
    problems,
    problem_count: count,
    data_version_changed: false,
  };
  return new BearingError(
    'import-rejected',
    `import rejected: ${count} problem${count === 1 ? '' : 's'}; nothing was changed`,
    report,
  );
}

/** `file:line: column: problem (got "value")` lines, as the CLI and API print them. */
export function formatProblems(report: Pick<ImportReport, 'problems' | 'problem_count'>): string[] {
  const lines = report.problems.map((p) => {
    if (!p.file) return p.problem;
    const where = [p.file, p.line ? String(p.line) : ''].filter(Boolean).join(':');
    const got = p.value === null ? [] : [`got "${p.value.length > 60 ? `${p.value.slice(0, 57)}...` : p.value}"`];
    const detail = [...got, ...(p.expected ? [`expected ${p.expected}`] : [])];
    return `${where}: ${p.column ? `${p.column}: ` : ''}${p.problem}${detail.length ? ` (${detail.join(', ')})` : ''}`;
  });
  const more = report.problem_count - report.problems.length;
  if (more > 0) lines.push(`… and ${more} more (${report.problem_count} problems in all)`);
  return lines;
}
