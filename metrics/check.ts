// Checks definition files like code: collects every problem (not just the first), each with a
// stable code, the file, line, column and field. One broken file never hides the others.
import type { z } from 'zod';
import { CONTRACT } from '../data/contract.ts';
import { duckdbReason, type Session } from '../data/db.ts';
import { readExtras, type TableExtras } from '../data/schema.ts';
import {
  availableDimensions,
  compileProbe,
  ownColumns,
  referencedMetrics,
  rememberExtras,
  spreadMeasure,
} from './compile.ts';
import {
  AggregateDefinition,
  DerivedDefinition,
  isDerived,
  RatioDefinition,
  ratioParts,
  type Definition,
  type Problem,
} from './definition.ts';
import { parseExpression } from './expression.ts';
import { type FileProblems, ProblemReporter } from '../data/problems.ts';
import { YamlSource } from '../data/yamlSource.ts';

export interface DefinitionSource {
  file: string;
  text: string;
}

export interface CheckedMetric {
  definition: Definition;
  /** A ratio's hidden numerator or denominator: the ratio's name (resolvable, never listed). */
  part_of?: string;
  file: string;
  text: string;
  /** Dimensions that actually work for this metric (for derived: those all its parts share). */
  dimensions: string[];
}

export interface CheckResult {
  metrics: CheckedMetric[];
  problems: Problem[];
}

type Resolve = (name: string) => Definition | undefined;

const TIME_KINDS = new Set(['date', 'timestamp', 'month']);
const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;

/** A definition and its file; a ratio's hidden parts name the ratio they belong to. */
type Parsed = { file: FileProblems; definition: Definition; part_of?: string };

/**
 * Every problem of every file: YAML and fields first, then names, then each definition's SQL
 * against the live catalog, then what derived metrics depend on. One broken file never hides the
 * others, and a rejected field never hides the rest of its file.
 */
export async function checkDefinitions(session: Session, sources: DefinitionSource[]): Promise<CheckResult> {
  const reporter = new ProblemReporter();
  const read = sources.map((s) => readDefinition(reporter.forFile(new YamlSource(s.file, s.text))));
  const parsed = read.flatMap((r) => (r.kind === 'valid' ? [r.entry, ...(r.parts ?? [])] : []));
  const partial = read.flatMap((r) => (r.kind === 'partial' ? [r.entry] : []));
  const unique = uniqueNames(parsed);
  const byName = new Map(unique.map((e) => [e.definition.name, e]));
  const resolve = (name: string) => byName.get(name)?.definition;

  const valid = new Map<string, CheckedMetric>();
  const failed = new Set<string>();
  const extras = await readExtras(session);
  for (const { definition } of [...unique, ...partial]) if (!isDerived(definition)) rememberExtras(definition, extras);
  for (const { file, definition, part_of } of unique) {
    const mark = reporter.problems.length;
    await checkSql(session, file, definition, resolve, extras);
    if (reporter.since(mark)) failed.add(definition.name);
    const dimensions = isDerived(definition) ? [] : (definition.dimensions ?? []);
    const checked = { definition, file: file.source.file, text: file.source.text, dimensions };
    valid.set(definition.name, part_of ? { ...checked, part_of } : checked);
  }
  for (const { file, definition } of partial) await checkSql(session, file, definition, resolve, extras);
  for (const entry of unique) checkDependencies(entry, resolve, valid, failed);
  return { metrics: [...valid.values()].filter((m) => !failed.has(m.definition.name)), problems: reporter.problems };
}

type Read = { kind: 'valid' | 'partial'; entry: Parsed; parts?: Parsed[] } | { kind: 'invalid' };

/** YAML and the fields' shapes; a file whose only problems are in some fields is still 'partial'. */
function readDefinition(file: FileProblems): Read {
  const { source } = file;
  const syntax = source.syntaxErrors();
  if (syntax.length) {
    for (const e of syntax) file.place(e, '(yaml)', 'yaml-syntax', e.message);
    return { kind: 'invalid' };
  }
  const value = source.value();
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    file.at('(yaml)', 'not-a-mapping', 'expected a mapping of fields (name, label, description, unit, direction, …)');
    return { kind: 'invalid' };
  }
  if ('numerator' in value || 'denominator' in value) return readRatio(file, value);
  const derived = 'expression' in value;
  const schema = (derived ? DerivedDefinition : AggregateDefinition) as z.ZodType<Definition>;
  const result = schema.safeParse(value);
  if (result.success) return { kind: 'valid', entry: { file, definition: result.data } };
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const where = derived ? ' in a derived metric' : '';
      for (const key of issue.keys) {
        file.atKey(
          key,
          'unknown-field',
          `unknown field "${key}"${where} (check the spelling; see the README for the fields)`,
        );
      }
      continue;
    }
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    const missing = valueAt(value, path) === undefined;
    const code = missing ? 'missing-field' : path.join('.') === 'table' ? 'unknown-table' : 'invalid-field';
    file.atPath(path, code, missing ? 'required field is missing' : issue.message);
  }
  // A rejected field must not hide the problems of the others (a bad unit and a bad column are
  // reported together): the SQL fields of whatever remains valid are checked too.
  const rest = withoutRejectedFields(value as Record<string, unknown>, result.error.issues, schema);
  return rest ? { kind: 'partial', entry: { file, definition: rest } } : { kind: 'invalid' };
}

/**
 * A ratio metric: its fields' problems at their nested paths (numerator.measure), then read as a
 * derived metric over its two hidden parts, each part's SQL problems reported at its own fields.
 */
function readRatio(file: FileProblems, value: object): Read {
  const result = RatioDefinition.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys)
          file.atPath([...path, key], 'unknown-field', `unknown field "${key}" in a ratio metric (see the README)`);
        continue;
      }
      const missing = valueAt(value, path) === undefined;
      const code = missing ? 'missing-field' : path.at(-1) === 'table' ? 'unknown-table' : 'invalid-field';
      file.atPath(path, code, missing ? 'required field is missing' : issue.message);
    }
    return { kind: 'invalid' };
  }
  const { derived, parts } = ratioParts(result.data);
  return {
    kind: 'valid',
    entry: { file, definition: derived },
    parts: parts.map((p) => ({ file: file.within(p.side), definition: p.definition, part_of: derived.name })),
  };
}

function valueAt(value: unknown, path: Array<string | number>): unknown {
  return path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined),
    value,
  );
}

/** Every file after the first one with a name is a problem, and left out. */
function uniqueNames(parsed: Parsed[]): Parsed[] {
  const first = new Map<string, Parsed>();
  for (const entry of parsed) {
    const earlier = first.get(entry.definition.name);
    if (!earlier) first.set(entry.definition.name, entry);
    else
      entry.file.at(
        'name',
        'duplicate-name',
        `metric "${entry.definition.name}" is already defined in ${earlier.file.source.file}`,
      );
  }
  return [...first.values()];
}

async function checkSql(
  session: Session,
  file: FileProblems,
  definition: Definition,
  resolve: Resolve,
  extras: TableExtras,
): Promise<void> {
  if (!isDerived(definition)) return checkAggregate(session, definition, file, extras);
  const expr = await parseExpression(session, definition.expression, 'derived');
  for (const issue of expr.issues) file.at('expression', issue.code, issue.message, issue.offset);
  for (const column of expr.columns) {
    if (resolve(column.name)) continue;
    file.at(
      'expression',
      'unknown-metric',
      `unknown metric "${column.name}" (expected the name of another metric)`,
      column.offset,
    );
  }
}

/** Derived metrics: cycles, broken parts, and the dimensions they can offer. */
function checkDependencies(
  { file, definition }: Parsed,
  resolve: Resolve,
  valid: Map<string, CheckedMetric>,
  failed: Set<string>,
): void {
  if (!isDerived(definition) || failed.has(definition.name)) return;
  const cycle = findCycle(definition.name, resolve);
  if (cycle) {
    file.at('expression', 'circular-reference', `circular reference: ${cycle.join(' → ')}`);
    failed.add(definition.name);
    return;
  }
  const broken = allParts(definition.name, resolve).filter((n) => failed.has(n));
  // A ratio whose own numerator or denominator failed: those problems are already at their fields.
  if (broken.length && broken.every((n) => valid.get(n)?.part_of === definition.name)) {
    failed.add(definition.name);
    return;
  }
  if (broken.length) {
    file.at(
      'expression',
      'broken-reference',
      `depends on ${broken.join(', ')}, which ${broken.length === 1 ? 'has' : 'have'} problems`,
    );
    failed.add(definition.name);
    return;
  }
  const parts = referencedMetrics(definition.expression, resolve).map((n) => valid.get(n)!);
  const shared =
    parts.reduce<string[] | null>(
      (acc, p) => (acc === null ? [...p.dimensions] : acc.filter((d) => p.dimensions.includes(d))),
      null,
    ) ?? [];
  for (const dim of definition.dimensions ?? []) {
    if (shared.includes(dim)) continue;
    file.at(
      'dimensions',
      'unknown-dimension',
      `"${dim}" is not a dimension of every metric in the expression (shared: ${shared.join(', ') || 'none'})`,
    );
    failed.add(definition.name);
  }
  valid.get(definition.name)!.dimensions = definition.dimensions ?? shared;
}

async function checkAggregate(
  session: Session,
  d: AggregateDefinition,
  file: FileProblems,
  extras: TableExtras,
): Promise<void> {
  const structural = checkColumns(d, file, extras) && checkRowPeriod(d, file);
  const expressionsOk = await checkExpressions(session, d, file, extras);
  if (structural && expressionsOk) await bindProbes(session, d, file);
}

/** row_period: week spreads a row over seven days: only a sum can follow it, and a row with a life cannot. */
function checkRowPeriod(d: AggregateDefinition, file: FileProblems): boolean {
  if (d.row_period !== 'week') return true;
  const why = d.active_until
    ? 'a row with active_until lives longer than its week: use one or the other'
    : spreadMeasure(d.measure) === null
      ? `only one sum(...) can be spread over days (the measure is ${d.measure.trim().slice(0, 60)})`
      : null;
  if (why) file.at('row_period', 'invalid-field', `row_period: week spreads each row over its seven days; ${why}`);
  return why === null;
}

/** time, active_until and dimensions name columns of the right kind. */
function checkColumns(d: AggregateDefinition, file: FileProblems, extras: TableExtras): boolean {
  const spec = CONTRACT[d.table];
  const columns = new Map(spec.columns.map((c) => [c.name, c.kind as string]));
  for (const extra of extras[d.table] ?? []) columns.set(extra, 'text');
  const columnList = [...columns.keys()].join(', ');
  let ok = true;
  for (const field of ['time', 'active_until'] as const) {
    const name = d[field];
    if (name === undefined) continue;
    const kind = columns.get(name);
    if (!kind)
      file.at(field, 'unknown-column', `unknown column "${name}" in ${d.table} (expected one of ${columnList})`);
    else if (!TIME_KINDS.has(kind))
      file.at(field, 'not-a-time-column', `"${name}" is not a date or timestamp column of ${d.table}`);
    ok &&= kind !== undefined && TIME_KINDS.has(kind);
  }
  const dims = availableDimensions(d.table, extras);
  for (const dim of d.dimensions ?? []) {
    if (dims.includes(dim)) continue;
    file.at(
      'dimensions',
      'unknown-dimension',
      `unknown dimension "${dim}" for ${d.table} (expected one of ${dims.join(', ')})`,
    );
    ok = false;
  }
  return ok;
}

/** measure and filter: the sandbox walk, and every column they name. */
async function checkExpressions(
  session: Session,
  d: AggregateDefinition,
  file: FileProblems,
  extras: TableExtras,
): Promise<boolean> {
  const known = new Set([
    ...ownColumns(d.table, extras),
    ...availableDimensions(d.table, extras),
    'period_start',
    'period_end',
  ]);
  let ok = true;
  for (const field of ['measure', 'filter'] as const) {
    const text = d[field];
    if (text === undefined) continue;
    const expr = await parseExpression(session, text, field);
    for (const issue of expr.issues) file.at(field, issue.code, issue.message, issue.offset);
    for (const column of expr.columns) {
      if (column.qualifier && column.qualifier !== d.table) {
        const message = `"${column.qualifier}.${column.name}": outside a subquery, columns belong to ${d.table}`;
        file.at(field, 'unknown-column', message, column.offset);
      } else if (!known.has(column.name)) {
        const message = `unknown column "${column.name}" in ${d.table} (expected one of ${[...known].join(', ')})`;
        file.at(field, 'unknown-column', message, column.offset);
      }
    }
    if (expr.issues.length || expr.columns.some((c) => !known.has(c.name))) ok = false;
  }
  return ok;
}

/** Bind the real compiled SQL against the live catalog: types and anything the walk cannot see. */
async function bindProbes(session: Session, d: AggregateDefinition, file: FileProblems): Promise<void> {
  for (const part of ['measure', 'filter'] as const) {
    if (part === 'filter' && !d.filter) continue;
    const probe = compileProbe(d, part);
    try {
      const described = await session.all<{ column_type: string }>(`DESCRIBE ${probe.sql}`, probe.params);
      const type = described[0]?.column_type ?? '';
      if (part === 'measure' && !NUMERIC.test(type))
        file.at('measure', 'not-numeric', `a measure must be a number (this one is ${type})`);
      if (part === 'filter' && type !== 'BOOLEAN')
        file.at('filter', 'not-a-boolean', `a filter must be a true/false condition (this one is ${type})`);
    } catch (error) {
      file.at(part, 'sql-error', duckdbReason(error));
    }
  }
}

// Fields that say nothing about the SQL: a rejected one is replaced by a harmless stand-in so the
// SQL fields can still be checked. A rejected SQL field that is optional is left out; a rejected
// required one (table, time, measure, expression) leaves nothing to check.
const STAND_IN: Record<string, unknown> = {
  name: 'draft',
  label: 'draft',
  description: 'draft',
  unit: 'count',
  direction: 'up',
};
const OPTIONAL = new Set(['owner', 'tags', 'format', 'mature_after_days', 'filter', 'dimensions', 'active_until']);

function withoutRejectedFields(
  value: Record<string, unknown>,
  issues: z.core.$ZodIssue[],
  schema: z.ZodType<Definition>,
): Definition | null {
  const rest: Record<string, unknown> = { ...value };
  for (const issue of issues) {
    const keys =
      issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys : [String(issue.path[0] ?? '')];
    for (const key of keys) {
      if (issue.code === 'unrecognized_keys' || OPTIONAL.has(key)) delete rest[key];
      else if (key in STAND_IN) rest[key] = STAND_IN[key];
      else return null;
    }
  }
  const again = schema.safeParse(rest);
  return again.success ? again.data : null;
}

function allParts(name: string, resolve: (n: string) => Definition | undefined, seen = new Set<string>()): string[] {
  const d = resolve(name);
  if (!d || !isDerived(d)) return [];
  const out: string[] = [];
  for (const ref of referencedMetrics(d.expression, resolve)) {
    if (seen.has(ref)) continue;
    seen.add(ref);
    out.push(ref, ...allParts(ref, resolve, seen));
  }
  return out;
}

function findCycle(start: string, resolve: (n: string) => Definition | undefined): string[] | null {
  const path: string[] = [];
  const visit = (name: string): string[] | null => {
    if (path.includes(name)) return [...path.slice(path.indexOf(name)), name];
    const d = resolve(name);
    if (!d || !isDerived(d)) return null;
    path.push(name);
    for (const ref of referencedMetrics(d.expression, resolve)) {
      const found = visit(ref);
      if (found) return found;
    }
    path.pop();
    return null;
  };
  const cycle = visit(start);
  return cycle && cycle[0] === start ? cycle : null;
}
