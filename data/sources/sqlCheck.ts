// A source's own SQL (a column expression, or a query over its files), parsed by DuckDB without
// running it (json_serialize_sql) and walked: only allowed functions, no settings or catalog, and
// in a query only files under the source's folder, read by the file readers. Every path is made
// absolute here, so what runs is exactly what was checked. External access outside the allowed
// folders is also switched off for the whole instance at run time.
import { isAbsolute, resolve } from 'node:path';
import type { Session } from '../db.ts';
import { ALLOWED_FUNCTIONS, formatCallProblem } from '../sqlFunctions.ts';
import { isInside } from './files.ts';

// Functions a source may call beyond the metric allow-list: building text and dates from columns.
const SOURCE_FUNCTIONS = new Set(['struct_extract', 'list_extract', 'array_extract', 'json_extract_string', 'format']);
const READERS = new Set([
  'read_csv',
  'read_csv_auto',
  'read_parquet',
  'parquet_scan',
  'read_json',
  'read_json_auto',
  'read_ndjson',
  'read_ndjson_auto',
]);

export interface SqlIssue {
  message: string;
  offset: number;
}

interface PathUse {
  value: string;
  offset: number;
}

type Node = Record<string, unknown>;

// Table references a source query may use: files (BASE_TABLE with a path), readers, joins,
// subqueries, VALUES and no FROM. SHOW / DESCRIBE / SUMMARIZE (SHOW_REF) read the catalog.
const TABLE_REFS = new Set(['BASE_TABLE', 'TABLE_FUNCTION', 'JOIN', 'SUBQUERY', 'EMPTY', 'EXPRESSION_LIST', 'PIVOT']);

class SourceWalker {
  readonly issues: SqlIssue[] = [];
  readonly paths: PathUse[] = [];
  /** CTE names in scope: a WITH's names are seen only inside its own query, after their own body. */
  private readonly ctes: string[] = [];

  constructor(private readonly allowTables: boolean) {}

  walk(value: unknown): void {
    if (Array.isArray(value)) {
      for (const v of value) this.walk(v);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    const offset = typeof node.query_location === 'number' && node.query_location < 2 ** 31 ? node.query_location : 0;
    const isTableRef = typeof node.class !== 'string' && 'sample' in node && 'alias' in node;
    if (isTableRef && !TABLE_REFS.has(String(node.type))) {
      this.issues.push({ message: 'SHOW, DESCRIBE and SUMMARIZE are not allowed in a source query', offset });
      return;
    }
    const scope = this.ctes.length;
    if (node.cte_map && typeof node.cte_map === 'object') {
      // Each body is checked with only the names before it in scope: "with customers as (select *
      // from customers)" reads the table customers, which a source may not.
      for (const entry of ((node.cte_map as Node).map as Array<{ key: string; value: unknown }> | undefined) ?? []) {
        this.walk(entry.value);
        this.ctes.push(entry.key.toLowerCase());
      }
    }
    if (node.class === 'FUNCTION' && typeof node.function_name === 'string') this.func(node, offset);
    if (node.type === 'BASE_TABLE') this.table(node, offset);
    if (node.type === 'TABLE_FUNCTION') this.tableFunction(node, offset);
    else {
      if (node.class === 'SUBQUERY' && !this.allowTables)
        this.issues.push({ message: 'subqueries are not allowed in a column mapping', offset });
      for (const [key, child] of Object.entries(node)) if (key !== 'cte_map') this.walk(child);
    }
    this.ctes.length = scope;
  }

  private func(node: Node, offset: number): void {
    const name = String(node.function_name).toLowerCase();
    if (node.schema || node.catalog)
      this.issues.push({ message: `function "${name}" must not name a schema or catalog`, offset });
    else if (!ALLOWED_FUNCTIONS.has(name) && !SOURCE_FUNCTIONS.has(name))
      this.issues.push({ message: `function "${name}" is not allowed in a source`, offset });
    else {
      const problem = formatCallProblem(name, node.children);
      if (problem) this.issues.push({ message: problem, offset });
    }
  }

  private table(node: Node, offset: number): void {
    const name = String(node.table_name);
    if (!this.allowTables) {
      this.issues.push({ message: 'a column mapping reads no tables', offset });
      return;
    }
    if (node.schema_name || node.catalog_name) {
      this.issues.push({ message: `"${name}": a source query reads files, not the database`, offset });
      return;
    }
    if (this.ctes.includes(name.toLowerCase())) return;
    if (!/[./]/.test(name)) {
      this.issues.push({ message: `"${name}" is not a file: a source query reads its own files by path`, offset });
      return;
    }
    this.paths.push({ value: name, offset });
  }

  private tableFunction(node: Node, offset: number): void {
    const fn = node.function as Node | undefined;
    const name = String(fn?.function_name ?? '').toLowerCase();
    if (!this.allowTables || !READERS.has(name)) {
      this.issues.push({ message: `table function "${name}" is not allowed in a source (use read_csv, ...)`, offset });
      return;
    }
    const [first, ...rest] = (fn?.children as Node[] | undefined) ?? [];
    const constant = first?.class === 'CONSTANT' ? ((first.value as Node | undefined)?.value as unknown) : undefined;
    if (typeof constant !== 'string') {
      this.issues.push({ message: `${name} must name its file as a quoted path`, offset });
      return;
    }
    this.paths.push({ value: constant, offset: typeof first!.query_location === 'number' ? first!.query_location : 0 });
    this.walk(rest);
  }
}

/**
 * DuckDB's query_location counts UTF-8 bytes; a JavaScript string counts UTF-16 units. Every
 * offset is converted before it indexes the text: 37 "é" in a comment once shifted a path rewrite
 * onto "; UPDATE customers …", which then ran.
 */
export function charOffset(text: string, byteOffset: number): number {
  return Buffer.from(text, 'utf8').subarray(0, byteOffset).toString('utf8').length;
}

async function serialize(session: Session, sql: string): Promise<{ tree?: Node; error?: string }> {
  const row = await session.one<{ s: string }>(`SELECT json_serialize_sql(CAST($sql AS VARCHAR)) AS s`, { sql });
  const parsed = JSON.parse(row?.s ?? '{}') as Node;
  if (parsed.error) return { error: String(parsed.error_message ?? 'cannot parse the SQL') };
  return { tree: parsed };
}

/** A column expression: problems with offsets into `expr`. */
export async function checkSourceExpression(session: Session, expr: string): Promise<SqlIssue[]> {
  const prefix = 'SELECT ';
  const { tree, error } = await serialize(session, `${prefix}${expr}`);
  if (error) return [{ message: error.replace(/^Parser Error: /, ''), offset: 0 }];
  const statements = (tree!.statements as Node[]) ?? [];
  const node = statements[0]?.node as Node | undefined;
  const fromType = (node?.from_table as Node | undefined)?.type;
  const clauses = node?.where_clause || node?.having || (node?.group_expressions as unknown[] | undefined)?.length;
  if (statements.length !== 1 || (node?.select_list as unknown[] | undefined)?.length !== 1 || clauses)
    return [{ message: 'expected one expression over the source columns', offset: 0 }];
  if (fromType && fromType !== 'EMPTY') return [{ message: 'expected one expression, without FROM', offset: 0 }];
  const walker = new SourceWalker(false);
  walker.walk(node);
  const sql = `${prefix}${expr}`;
  return walker.issues.map((i) => ({ ...i, offset: Math.max(0, charOffset(sql, i.offset) - prefix.length) }));
}

export interface CheckedQuery {
  issues: SqlIssue[];
  /** The query with every path absolute (only when there are no issues). */
  sql?: string;
}

/** A source query: one SELECT over files under `folder` (paths relative to `base`). */
export async function checkSourceQuery(
  session: Session,
  query: string,
  base: string,
  folder: string,
): Promise<CheckedQuery> {
  const { tree, error } = await serialize(session, query);
  if (error) return { issues: [{ message: error.replace(/^Parser Error: /, ''), offset: 0 }] };
  const statements = (tree!.statements as Node[]) ?? [];
  if (statements.length !== 1) return { issues: [{ message: 'expected exactly one SELECT statement', offset: 0 }] };
  const walker = new SourceWalker(true);
  walker.walk(statements[0]);
  const issues = walker.issues.map((i) => ({ ...i, offset: charOffset(query, i.offset) }));
  const replacements: Array<{ offset: number; end: number; path: string }> = [];
  for (const use of walker.paths) {
    const at = charOffset(query, use.offset);
    const absolute = resolve(base, use.value);
    if (!isInside(folder, absolute)) {
      issues.push({ message: `"${use.value}" is outside the sources folder`, offset: at });
      continue;
    }
    const quote = query[at];
    if (quote !== "'" && quote !== '"') {
      issues.push({ message: `"${use.value}": write the path in quotes`, offset: at });
      continue;
    }
    let end = at + 1;
    while (end < query.length && !(query[end] === quote && query[end + 1] !== quote))
      end += query[end] === quote ? 2 : 1;
    replacements.push({ offset: at, end: end + 1, path: absolute });
  }
  if (issues.length) return { issues };
  let sql = query;
  for (const r of replacements.sort((a, b) => b.offset - a.offset))
    sql = `${sql.slice(0, r.offset)}'${r.path.replace(/'/g, "''")}'${sql.slice(r.end)}`;
  // What runs is checked again as it will run: one SELECT, nothing refused, every path the
  // absolute one placed here. A rewrite that went wrong anywhere is refused, never run.
  if (!(await rewrittenIsSafe(session, sql, folder, replacements.length)))
    return { issues: [{ message: 'the query could not be checked safely; simplify it', offset: 0 }] };
  return { issues: [], sql };
}

async function rewrittenIsSafe(session: Session, sql: string, folder: string, paths: number): Promise<boolean> {
  const { tree, error } = await serialize(session, sql);
  const statements = (tree?.statements as Node[] | undefined) ?? [];
  if (error || statements.length !== 1) return false;
  const again = new SourceWalker(true);
  again.walk(statements[0]);
  return (
    again.issues.length === 0 &&
    again.paths.length === paths &&
    again.paths.every((p) => isAbsolute(p.value) && isInside(folder, p.value))
  );
}
