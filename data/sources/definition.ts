// The shape of a sources file (sources/*.yaml): one file per source system, each entry mapping
// files (or one query over files) onto a contract table. The checker (check.ts) adds what a
// schema cannot know: the files, their columns, the SQL, the rows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isIsoDate, ISO_DATE_EXPECTED } from '../dates.ts';
import { CONTRACT, CONTRACT_TABLES } from '../contract.ts';
import { type FileProblems, parsedValue, type ProblemReporter, reportIssues } from '../problems.ts';
import { YamlSource } from '../yamlSource.ts';

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'expected snake_case: lower-case letters, digits and _, starting with a letter')
  .max(63);

export const FORMATS = ['csv', 'tsv', 'parquet', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export const SourceEntrySchema = z
  .strictObject({
    name: identifier,
    table: z.enum(CONTRACT_TABLES),
    /** A path or a glob relative to the sources file; several files append. */
    files: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    format: z.enum(FORMATS).optional(),
    /** One character (or up to 4), or `whitespace`: columns aligned by runs of blanks (CDNOW's file). */
    delimiter: z.union([z.literal('whitespace'), z.string().min(1).max(4)]).optional(),
    /** `false`: the file has no header row; `column_names` names its columns in order. */
    header: z.boolean().optional(),
    column_names: z.array(z.string().min(1).max(63)).min(1).max(500).optional(),
    /** Lines before the header (or before the first row, without one): titles, notes, blank lines. */
    skip: z.number().int().min(0).max(10_000).optional(),
    /** The decimal mark of the file's numbers: `","` reads 1.234,56 as 1234.56. */
    decimal: z.enum(['.', ',']).optional(),
    date_format: z.string().min(2).max(64).optional(),
    timezone: z.string().optional(),
    /** Contract column: a source column's name, or a SQL expression over the source's columns. */
    columns: z.record(z.string(), z.string().min(1).max(2000)).optional(),
    /**
     * Extra source columns kept as columns of the table (dimensions, filters, covariates): a name,
     * or { column, type } to say how the channel comparison reads it: `number` (cut at quantiles:
     * earnings, age) or `text` (its values: a zip code that happens to be digits).
     */
    keep: z
      .array(z.union([identifier, z.strictObject({ column: identifier, type: z.enum(['number', 'text']) })]))
      .optional(),
    /** The key repeats collapse on (the later file, then the later line, wins). */
    key: z.array(z.string().min(1)).min(1).optional(),
    query: z.string().min(1).max(20000).optional(),
    /** The date this source's table is complete through (its last rows may be older: a quiet week). */
    complete_through: z.string().refine(isIsoDate, ISO_DATE_EXPECTED).optional(),
    unpivot: z
      .strictObject({ columns: z.array(z.string().min(1)).min(1), name: z.string().min(1), value: z.string().min(1) })
      .optional(),
  })
  .refine((s) => (s.files === undefined) !== (s.query === undefined), {
    message: 'expected either files or query (exactly one of them)',
  })
  .refine((s) => s.header !== false || s.column_names !== undefined, {
    message: "header: false needs column_names: the names of the file's columns, in order",
  });
export type SourceEntry = z.infer<typeof SourceEntrySchema>;

export const SourcesFileSchema = z.strictObject({
  timezone: z.string().optional(),
  sources: z.array(z.unknown()).min(1, 'expected at least one source'),
});

export interface Source extends SourceEntry {
  /** The sources file it is declared in (its name inside the sources folder). */
  file: string;
  /** Where in that file (for problems): the index of the entry. */
  index: number;
  /** The time zone its files' local times are in (its own, the file's, or the workspace's). */
  zone: string | undefined;
}

export interface SourcesFile {
  file: string;
  text: string;
  report: FileProblems;
  sources: Source[];
}

/** The sources files of a folder (its *.yaml files, by name), parsed; problems go to `reporter`. */
export function readSourcesFiles(
  dir: string,
  reporter: ProblemReporter,
  overrides: Record<string, string> = {},
): SourcesFile[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  } catch {
    // no sources folder yet: only the files offered in overrides
  }
  names = [...new Set([...names, ...Object.keys(overrides)])].sort();
  return names.map((file) =>
    parseSourcesFile(file, overrides[file] ?? readFileSync(join(dir, file), 'utf8'), reporter),
  );
}

/** A sources file's name as the API takes it: a plain *.yaml name, nothing that leaves the folder. */
export const isSourcesFileName = (name: string) => /^[A-Za-z0-9][A-Za-z0-9_.-]{0,100}\.ya?ml$/.test(name);

export function parseSourcesFile(file: string, text: string, reporter: ProblemReporter): SourcesFile {
  const report = reporter.forFile(new YamlSource(file, text));
  const raw = parsedValue(report);
  const result: SourcesFile = { file, text, report, sources: [] };
  if (raw === undefined) return result;
  const top = SourcesFileSchema.safeParse(raw);
  if (!top.success) {
    reportIssues(report, [], top.error.issues as never);
    return result;
  }
  top.data.sources.forEach((item, index) => {
    const parsed = SourceEntrySchema.safeParse(item);
    if (!parsed.success) {
      reportIssues(report, ['sources', index], parsed.error.issues as never);
      return;
    }
    const entry = parsed.data;
    if (!entryIsCoherent(entry, index, report)) return;
    result.sources.push({ ...entry, file, index, zone: entry.timezone ?? top.data.timezone });
  });
  return result;
}

/** What the schema cannot say alone: keep and key name real columns, query excludes file options. */
function entryIsCoherent(entry: SourceEntry, index: number, report: FileProblems): boolean {
  const at = (field: string, message: string) => report.atPath(['sources', index, field], 'invalid-field', message);
  const spec = CONTRACT[entry.table];
  const contract = spec.columns.map((c) => c.name);
  let ok = true;
  for (const name of Object.keys(entry.columns ?? {})) {
    if (contract.includes(name)) continue;
    report.atPath(
      ['sources', index, 'columns', name],
      'unknown-column',
      `"${name}" is not a column of ${entry.table} (expected one of ${contract.join(', ')}; extra columns go ` +
        'under keep)',
    );
    ok = false;
  }
  for (const name of keptColumns(entry)) {
    if (!contract.includes(name)) continue;
    at('keep', `"${name}" is already a column of ${entry.table}; keep is for extra columns`);
    ok = false;
  }
  for (const name of entry.key ?? []) {
    if (contract.includes(name) || keptColumns(entry).includes(name)) continue;
    at('key', `"${name}" is not a column of ${entry.table} or one the source keeps`);
    ok = false;
  }
  if (entry.query !== undefined) {
    for (const field of ['format', 'delimiter', 'unpivot'] as const) {
      if (entry[field] === undefined) continue;
      at(field, `${field} applies to files; a query reads its files itself`);
      ok = false;
    }
  }
  return ok;
}

/** The names of a source's kept columns, declared with a type or not. */
export const keptColumns = (entry: Pick<SourceEntry, 'keep'>): string[] =>
  (entry.keep ?? []).map((k) => (typeof k === 'string' ? k : k.column));

/** The kept columns whose type a source declared. */
export const keptTypes = (entry: Pick<SourceEntry, 'keep'>): Record<string, 'number' | 'text'> =>
  Object.fromEntries((entry.keep ?? []).flatMap((k) => (typeof k === 'string' ? [] : [[k.column, k.type]])));
