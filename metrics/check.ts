// Checks definition files like code: collects every problem (not just the first), each with a
// stable code, the file, line, column and field. One broken file never hides the others.
import type { z } from 'zod';
import { CONTRACT } from '../data/contract.ts';
import type { Session } from '../data/db.ts';
import { availableDimensions, compileProbe, referencedMetrics } from './compile.ts';
import { AggregateDefinition, DerivedDefinition, isDerived, type Definition, type Problem } from './definition.ts';
import { parseExpression } from './expression.ts';
import { YamlSource } from './yamlSource.ts';

export interface DefinitionSource {
  file: string;
  text: string;
}

export interface CheckedMetric {
  definition: Definition;
  file: string;
  text: string;
  /** Dimensions that actually work for this metric (for derived: those all its parts share). */
  dimensions: string[];
}

export interface CheckResult {
  metrics: CheckedMetric[];
  problems: Problem[];
}

const TIME_KINDS = new Set(['date', 'timestamp', 'month']);
const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;

function duckdbMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  // Keep DuckDB's first line (the reason), drop its LINE/caret echo of our generated SQL.
  return raw.split('\n')[0]!.replace(/^[A-Za-z ]*Error: /, '');
}

export async function checkDefinitions(session: Session, sources: DefinitionSource[]): Promise<CheckResult> {
  const problems: Problem[] = [];
  const parsed: Array<{ source: YamlSource; definition: Definition }> = [];
  const partial: Array<{ source: YamlSource; definition: Definition }> = [];

  for (const { file, text } of sources) {
    const source = new YamlSource(file, text);
    const at = (field: string, message: string, code: string, pos = source.fieldPosition([field])) =>
      problems.push({ code, file, line: pos.line, col: pos.col, field, message });
    const syntax = source.syntaxErrors();
    if (syntax.length) {
      for (const e of syntax)
        problems.push({ code: 'yaml-syntax', file, line: e.line, col: e.col, field: '(yaml)', message: e.message });
      continue;
    }
    const value = source.value();
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      at('(yaml)', 'expected a mapping of fields (name, label, description, unit, direction, …)', 'not-a-mapping');
      continue;
    }
    const schema = 'expression' in value ? DerivedDefinition : AggregateDefinition;
    const result = (schema as z.ZodType<Definition>).safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
        if (issue.code === 'unrecognized_keys') {
          for (const key of (issue as { keys: string[] }).keys) {
            at(
              key,
              `unknown field "${key}"${'expression' in value ? ' in a derived metric' : ''} (check the spelling; see the README for the fields)`,
              'unknown-field',
              source.keyPosition(key),
            );
          }
          continue;
        }
        const field = path.join('.') || '(yaml)';
        const missing =
          path.reduce<unknown>(
            (v, k) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined),
            value,
          ) === undefined;
        const pos = source.fieldPosition(path);
        problems.push({
          code: missing ? 'missing-field' : field === 'table' ? 'unknown-table' : 'invalid-field',
          file,
          line: pos.line,
          col: pos.col,
          field,
          message: missing ? 'required field is missing' : issue.message,
        });
      }
      // A rejected field must not hide the problems of the others (a bad unit and a bad column are
      // reported together): check the SQL fields of whatever remains valid.
      const rest = withoutRejectedFields(
        value as Record<string, unknown>,
        result.error.issues,
        schema as z.ZodType<Definition>,
      );
      if (rest) partial.push({ source, definition: rest });
      continue;
    }
    parsed.push({ source, definition: result.data });
  }

  // Duplicate names: every file after the first one with that name is a problem.
  const byName = new Map<string, (typeof parsed)[number]>();
  const unique: typeof parsed = [];
  for (const entry of parsed) {
    const first = byName.get(entry.definition.name);
    if (first) {
      const pos = entry.source.fieldPosition(['name']);
      problems.push({
        code: 'duplicate-name',
        file: entry.source.file,
        line: pos.line,
        col: pos.col,
        field: 'name',
        message: `metric "${entry.definition.name}" is already defined in ${first.source.file}`,
      });
      continue;
    }
    byName.set(entry.definition.name, entry);
    unique.push(entry);
  }
  const resolve = (name: string) => byName.get(name)?.definition;

  const valid = new Map<string, CheckedMetric>();
  const failed = new Set<string>();
  const checkSql = async (source: YamlSource, definition: Definition) => {
    const at = (field: string, message: string, code: string, offset?: number) => {
      const pos = offset === undefined ? source.fieldPosition([field]) : source.valuePosition(field, offset);
      problems.push({ code, file: source.file, line: pos.line, col: pos.col, field, message });
    };
    if (isDerived(definition)) {
      const expr = await parseExpression(session, definition.expression, 'derived');
      for (const issue of expr.issues) at('expression', issue.message, issue.code, issue.offset);
      for (const column of expr.columns) {
        if (!resolve(column.name))
          at(
            'expression',
            `unknown metric "${column.name}" (expected the name of another metric)`,
            'unknown-metric',
            column.offset,
          );
      }
    } else {
      await checkAggregate(session, definition, at);
    }
  };
  for (const { source, definition } of unique) {
    const before = problems.length;
    await checkSql(source, definition);
    if (problems.length > before) failed.add(definition.name);
    valid.set(definition.name, {
      definition,
      file: source.file,
      text: source.text,
      dimensions: isDerived(definition) ? [] : (definition.dimensions ?? []),
    });
  }
  for (const { source, definition } of partial) await checkSql(source, definition);

  // Derived metrics: cycles, broken parts, and the dimensions they can offer.
  for (const { source, definition } of unique) {
    if (!isDerived(definition) || failed.has(definition.name)) continue;
    const cycle = findCycle(definition.name, resolve);
    const pos = source.fieldPosition(['expression']);
    if (cycle) {
      problems.push({
        code: 'circular-reference',
        file: source.file,
        line: pos.line,
        col: pos.col,
        field: 'expression',
        message: `circular reference: ${cycle.join(' → ')}`,
      });
      failed.add(definition.name);
      continue;
    }
    const broken = allParts(definition.name, resolve).filter((n) => failed.has(n));
    if (broken.length) {
      problems.push({
        code: 'broken-reference',
        file: source.file,
        line: pos.line,
        col: pos.col,
        field: 'expression',
        message: `depends on ${broken.join(', ')}, which ${broken.length === 1 ? 'has' : 'have'} problems`,
      });
      failed.add(definition.name);
      continue;
    }
    const parts = referencedMetrics(definition.expression, resolve).map((n) => valid.get(n)!);
    const shared =
      parts.reduce<string[] | null>(
        (acc, p) => (acc === null ? [...p.dimensions] : acc.filter((d) => p.dimensions.includes(d))),
        null,
      ) ?? [];
    const declared = definition.dimensions;
    for (const dim of declared ?? []) {
      if (!shared.includes(dim)) {
        const dpos = source.fieldPosition(['dimensions']);
        problems.push({
          code: 'unknown-dimension',
          file: source.file,
          line: dpos.line,
          col: dpos.col,
          field: 'dimensions',
          message: `"${dim}" is not a dimension of every metric in the expression (shared: ${shared.join(', ') || 'none'})`,
        });
        failed.add(definition.name);
      }
    }
    valid.get(definition.name)!.dimensions = declared ?? shared;
  }

  return { metrics: [...valid.values()].filter((m) => !failed.has(m.definition.name)), problems };
}

async function checkAggregate(
  session: Session,
  d: AggregateDefinition,
  at: (field: string, message: string, code: string, offset?: number) => void,
): Promise<void> {
  const spec = CONTRACT[d.table];
  const columns = new Map(spec.columns.map((c) => [c.name, c.kind]));
  const columnList = spec.columns.map((c) => c.name).join(', ');
  let structural = true;
  for (const field of ['time', 'active_until'] as const) {
    const name = d[field];
    if (name === undefined) continue;
    const kind = columns.get(name);
    if (!kind) {
      at(field, `unknown column "${name}" in ${d.table} (expected one of ${columnList})`, 'unknown-column');
      structural = false;
    } else if (!TIME_KINDS.has(kind)) {
      at(field, `"${name}" is not a date or timestamp column of ${d.table}`, 'not-a-time-column');
      structural = false;
    }
  }
  const dims = availableDimensions(d.table);
  for (const dim of d.dimensions ?? []) {
    if (!dims.includes(dim)) {
      at(
        'dimensions',
        `unknown dimension "${dim}" for ${d.table} (expected one of ${dims.join(', ')})`,
        'unknown-dimension',
      );
      structural = false;
    }
  }
  const known = new Set([...spec.columns.map((c) => c.name), ...dims, 'period_start', 'period_end']);
  let expressionsOk = true;
  for (const field of ['measure', 'filter'] as const) {
    const text = d[field];
    if (text === undefined) continue;
    const expr = await parseExpression(session, text, field);
    for (const issue of expr.issues) at(field, issue.message, issue.code, issue.offset);
    for (const column of expr.columns) {
      if (column.qualifier && column.qualifier !== d.table) {
        at(
          field,
          `"${column.qualifier}.${column.name}": outside a subquery, columns belong to ${d.table}`,
          'unknown-column',
          column.offset,
        );
      } else if (!known.has(column.name)) {
        at(
          field,
          `unknown column "${column.name}" in ${d.table} (expected one of ${[...known].join(', ')})`,
          'unknown-column',
          column.offset,
        );
      }
    }
    if (expr.issues.length || expr.columns.some((c) => !known.has(c.name))) expressionsOk = false;
  }
  if (!structural || !expressionsOk) return;
  // Bind the real compiled SQL against the live catalog: types and anything the walk cannot see.
  for (const part of ['measure', 'filter'] as const) {
    if (part === 'filter' && !d.filter) continue;
    const probe = compileProbe(d, part);
    try {
      const described = await session.all<{ column_name: string; column_type: string }>(
        `DESCRIBE ${probe.sql}`,
        probe.params,
      );
      const type = described[0]?.column_type ?? '';
      if (part === 'measure' && !NUMERIC.test(type))
        at('measure', `a measure must be a number (this one is ${type})`, 'not-numeric');
      if (part === 'filter' && type !== 'BOOLEAN')
        at('filter', `a filter must be a true/false condition (this one is ${type})`, 'not-a-boolean');
    } catch (error) {
      at(part, duckdbMessage(error), 'sql-error');
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
