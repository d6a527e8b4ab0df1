// One source as the importer reads it: each of its files (or its query) becomes a SELECT that
// yields the contract's columns and the kept ones as text, with the line each row came from.
// Dates are brought to the contract's shapes here (a declared date_format, a date column given a
// timestamp, local times of another zone), so the importer's rules and messages apply unchanged.
import { CONTRACT, type ColumnKind } from '../contract.ts';
import { duckdbReason, quoteIdent, type Session } from '../db.ts';
import { CsvFileProblem, readDelimitedHeader, readWhitespaceHeader } from '../import/csv.ts';
import type { MappedRead, PlannedFile } from '../import/plan.ts';
import { keptColumns, type Source } from './definition.ts';
import { folderOf, formatOf, labelOf, resolveFiles } from './files.ts';
import { checkSourceExpression, checkSourceQuery } from './sqlCheck.ts';

export interface SourceProblem {
  /** The field of the source entry the problem is about. */
  field: string;
  message: string;
  /** A file and line, when the problem is in a data file. */
  at?: string;
}

export interface SourcePlan {
  source: Source;
  files: PlannedFile[];
  problems: SourceProblem[];
}

const lit = (text: string) => `'${text.replace(/'/g, "''")}'`;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_ ]*$/;

interface Reader {
  /** With `_line`, the row's line in its file. */
  sql: string;
  /** Without it. */
  bare: string;
  params: Record<string, string>;
  columns: string[];
}

async function describe(session: Session, sql: string, params: Record<string, string>): Promise<string[]> {
  const rows = await session.all<{ column_name: string }>(`DESCRIBE ${sql}`, params);
  return rows.map((r) => r.column_name).filter((c) => c !== '_line');
}

async function fileReader(session: Session, source: Source, path: string): Promise<Reader> {
  const format = source.format ?? formatOf(path);
  if (source.delimiter === 'whitespace') return whitespaceReader(source, path);
  if (format === 'csv' || format === 'tsv') {
    const skip = source.skip ?? 0;
    const headerless = source.header === false;
    const { header, delimiter } = headerless
      ? { header: source.column_names!, delimiter: source.delimiter ?? (format === 'tsv' ? '\t' : ',') }
      : readDelimitedHeader(path, source.delimiter ?? (format === 'tsv' ? '\t' : undefined), skip);
    const columns = `{${header.map((h) => `${lit(h)}: 'VARCHAR'`).join(', ')}}`;
    const read =
      `read_csv($path, header = ${!headerless}, skip = ${skip}, delim = ${lit(delimiter)}, quote = '"', ` +
      `escape = '"', strict_mode = true, null_padding = false, auto_detect = false, columns = ${columns})`;
    // A row's line in its file: after the skipped lines, and after the header when there is one.
    const first = skip + (headerless ? 1 : 2);
    return {
      sql: `SELECT row_number() OVER () + ${first - 1} AS _line, * FROM ${read}`,
      bare: `SELECT * FROM ${read}`,
      params: { path },
      columns: header,
    };
  }
  if (format === 'parquet' || format === 'json') {
    const read = format === 'parquet' ? 'read_parquet($path)' : `read_json($path, format = 'auto')`;
    const sql = `SELECT row_number() OVER () AS _line, * FROM ${read}`;
    const bare = `SELECT * FROM ${read}`;
    return { sql, bare, params: { path }, columns: await describe(session, sql, { path }) };
  }
  throw new CsvFileProblem(0, 'cannot tell the format from the file name (set format: csv, tsv, parquet or json)');
}

/**
 * A file whose columns are aligned by runs of blanks (no one delimiter): each line read whole,
 * split on whitespace, its parts named by column_names (or by its first line after `skip`).
 * Blank lines are passed over; line numbers stay the file's own.
 */
function whitespaceReader(source: Source, path: string): Reader {
  const skip = source.skip ?? 0;
  const headerless = source.header === false || source.column_names !== undefined;
  const names = source.column_names ?? readWhitespaceHeader(path, skip);
  const start = skip + (headerless ? 0 : 1);
  const read =
    `read_csv($path, header = false, skip = ${start}, delim = ${lit(String.fromCharCode(31))}, quote = '', ` +
    `escape = '', strict_mode = true, null_padding = false, auto_detect = false, columns = {'line': 'VARCHAR'})`;
  const parts = names.map((n, i) => `parts[${i + 1}] AS ${quoteIdent(n)}`).join(', ');
  const split = `regexp_split_to_array(trim(line), '\\s+')`;
  const lines = `SELECT row_number() OVER () + ${start} AS _line, line, ${split} AS parts FROM ${read}`;
  const kept = `FROM (${lines}) WHERE trim(coalesce(line, '')) <> ''`;
  return { sql: `SELECT _line, ${parts} ${kept}`, bare: `SELECT ${parts} ${kept}`, params: { path }, columns: names };
}

function unpivoted(reader: Reader, source: Source): Reader {
  const u = source.unpivot;
  if (!u) return reader;
  const on = u.columns.map(quoteIdent).join(', ');
  const into = `INTO NAME ${quoteIdent(u.name)} VALUE ${quoteIdent(u.value)}`;
  return {
    ...reader,
    sql: `SELECT * FROM (UNPIVOT (${reader.sql}) ON ${on} ${into})`,
    bare: `SELECT * FROM (UNPIVOT (${reader.bare}) ON ${on} ${into})`,
    columns: [...reader.columns.filter((c) => !u.columns.includes(c)), u.name, u.value],
  };
}

const TIMESTAMP_START = `'^\\d{4}-\\d{2}-\\d{2}[ T]\\d'`;

/** Local times of the source's own zone, when it differs from the workspace's, carry it from here on. */
function zoned(v: string, zone: string | undefined, workspaceZone: string): string {
  if (!zone || zone === workspaceZone) return v;
  const offset = `'(Z|[+-]\\d{2}(:?\\d{2})?)$'`;
  const naive = `regexp_matches(${v}, '^\\d{4}-\\d{2}-\\d{2}') AND NOT regexp_matches(${v}, ${offset})`;
  return `CASE WHEN ${naive} THEN ${v} || ' ' || ${lit(zone)} ELSE ${v} END`;
}

/** The text of a column brought to its contract kind's shape; a value that does not parse stays as it was. */
function shaped(text: string, kind: ColumnKind, source: Source, workspaceZone: string): string {
  const t = `trim(${text})`;
  const fmt = source.date_format ? lit(source.date_format) : null;
  const parsed = (out: string) => (fmt ? `coalesce(strftime(try_strptime(${t}, ${fmt}), '${out}'), ${text})` : text);
  switch (kind) {
    case 'date': {
      const v = zoned(parsed('%Y-%m-%d %H:%M:%S'), source.zone, workspaceZone);
      const day = `strftime(CAST(try_cast(${v} AS TIMESTAMPTZ) AS TIMESTAMP), '%Y-%m-%d')`;
      // A plain date (10 characters or fewer) passes untouched: one length test per value, not a
      // regular expression, on the columns of a million-customer file.
      const stamped = `length(${v}) > 10 AND regexp_matches(${v}, ${TIMESTAMP_START})`;
      return `CASE WHEN ${stamped} THEN coalesce(${day}, ${text}) ELSE ${v} END`;
    }
    case 'timestamp':
      return zoned(parsed('%Y-%m-%d %H:%M:%S'), source.zone, workspaceZone);
    case 'month':
      return fmt
        ? parsed('%Y-%m')
        : `CASE WHEN regexp_matches(${t}, '^\\d{4}-\\d{2}-\\d{2}') THEN left(${t}, 7) ELSE ${text} END`;
    case 'amount':
    case 'number':
      // A decimal comma (1.234,56): the thousands dots go, the comma becomes the point.
      return source.decimal === ',' ? `replace(replace(${t}, '.', ''), ',', '.')` : text;
    default:
      return text;
  }
}

/** The mapping SELECT over a reader, or the problems that stop it. */
async function mapped(
  session: Session,
  reader: Reader,
  source: Source,
  workspaceZone: string,
  problems: SourceProblem[],
): Promise<MappedRead | null> {
  const spec = CONTRACT[source.table];
  const byLower = new Map(reader.columns.map((c) => [c.toLowerCase(), c]));
  const select: string[] = [];
  const names: string[] = [];
  const have = `(the source has ${reader.columns.join(', ')})`;
  for (const column of spec.columns) {
    const given = source.columns?.[column.name];
    let expr: string | null = null;
    if (given !== undefined) {
      const exact = reader.columns.includes(given) ? given : byLower.get(given.toLowerCase());
      if (exact) expr = quoteIdent(exact);
      else if (IDENTIFIER.test(given) && !given.includes(' ') && !/^(true|false|null)$/i.test(given)) {
        problems.push({ field: `columns.${column.name}`, message: `unknown source column "${given}" ${have}` });
        continue;
      } else {
        const issues = await checkSourceExpression(session, given);
        for (const i of issues) problems.push({ field: `columns.${column.name}`, message: i.message });
        if (issues.length) continue;
        expr = `(${given})`;
      }
    } else {
      const same = byLower.get(column.name);
      if (same) expr = quoteIdent(same);
    }
    if (expr === null) {
      if (column.required)
        problems.push({
          field: 'columns',
          message: `nothing maps to ${source.table}.${column.name}, which is required ${have}`,
        });
      continue;
    }
    select.push(
      `${shaped(`CAST(${expr} AS VARCHAR)`, column.kind, source, workspaceZone)} AS ${quoteIdent(column.name)}`,
    );
    names.push(column.name);
  }
  for (const keep of keptColumns(source)) {
    const found = byLower.get(keep.toLowerCase());
    if (!found) {
      problems.push({ field: 'keep', message: `unknown source column "${keep}" ${have}` });
      continue;
    }
    select.push(`CAST(${quoteIdent(found)} AS VARCHAR) AS ${quoteIdent(keep)}`);
    names.push(keep);
  }
  if (problems.length) return null;
  // `_line` (the row's line in its file) may name a row of a file without ids ("'psid-' || _line"):
  // such a mapping always reads the numbered rows.
  const numbered = select.some((s) => /\b_line\b/.test(s));
  return {
    columns: names,
    sql: `SELECT _line, ${select.join(', ')} FROM (${reader.sql})`,
    fastSql: `SELECT ${select.join(', ')} FROM (${numbered ? reader.sql : reader.bare})`,
    params: reader.params,
  };
}

/**
 * Binding the mapping (unknown columns in expressions, wrong types) without reading rows: DESCRIBE
 * binds only. (A LIMIT 0 over the numbered read still numbered every row of the file first.)
 */
async function binds(session: Session, read: MappedRead, root: string): Promise<string | null> {
  try {
    await session.all(`DESCRIBE SELECT * FROM (${read.fastSql})`, read.params);
    return null;
  } catch (error) {
    return duckdbReason(error).replaceAll(`${root}/`, '');
  }
}

export interface PlanContext {
  session: Session;
  /** The sources folder (files may be read only under it). */
  root: string;
  workspaceZone: string;
  /** Index of the next planned file (planned files of all sources are numbered together). */
  nextIndex: () => number;
}

/** A source's files, each as a mapped read; or the problems that stop it. */
export async function planSource(source: Source, ctx: PlanContext): Promise<SourcePlan> {
  const problems: SourceProblem[] = [];
  const plan: SourcePlan = { source, files: [], problems };
  const base = folderOf(ctx.root, source.file);
  const readers: Array<{ label: string; path: string; reader: () => Promise<Reader> }> = [];
  if (source.query !== undefined) {
    const checked = await checkSourceQuery(ctx.session, source.query, base, ctx.root);
    for (const i of checked.issues) problems.push({ field: 'query', message: i.message });
    if (!checked.sql) return plan;
    const sql = `SELECT row_number() OVER () AS _line, * FROM (${checked.sql})`;
    const bare = `SELECT * FROM (${checked.sql})`;
    readers.push({
      label: `${source.name} (query)`,
      path: '',
      reader: async () => ({ sql, bare, params: {}, columns: await describe(ctx.session, sql, {}) }),
    });
  } else {
    const patterns = Array.isArray(source.files) ? source.files : [source.files!];
    for (const pattern of patterns) {
      const found = resolveFiles(pattern, base, ctx.root);
      if (!found.ok) problems.push({ field: 'files', message: found.message });
      else
        for (const path of found.files)
          readers.push({ label: labelOf(ctx.root, path), path, reader: () => fileReader(ctx.session, source, path) });
    }
  }
  for (const { label, path, reader } of readers) {
    let read: Reader;
    try {
      read = unpivoted(await reader(), source);
    } catch (error) {
      const message = error instanceof Error ? duckdbReason(error).replaceAll(`${ctx.root}/`, '') : String(error);
      const line = error instanceof CsvFileProblem && error.line ? `:${error.line}` : '';
      problems.push({ field: source.query ? 'query' : 'files', message, at: `${label}${line}` });
      continue;
    }
    const before = problems.length;
    const m = await mapped(ctx.session, read, source, ctx.workspaceZone, problems);
    if (!m || problems.length > before) break; // the same mapping fails the same way on every file
    const unbound = await binds(ctx.session, m, ctx.root);
    if (unbound) {
      problems.push({ field: source.query ? 'query' : 'columns', message: unbound, at: label });
      break;
    }
    plan.files.push({ index: ctx.nextIndex(), path, label, table: source.table, mapped: m });
  }
  return plan;
}
