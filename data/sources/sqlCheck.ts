// A source's own SQL (a column expression, or a query over its files), parsed by DuckDB without
// running it (json_serialize_sql) and walked: only allowed functions, no settings or catalog, and
// in a query only files under the source's folder, read by the file readers. Every path is made
// absolute here, so what runs is exactly what was checked. External access outside the allowed
// folders is also switched off for the whole instance at run time.
import { resolve } from 'node:path';
import type { Session } from '../db.ts';
import { ALLOWED_FUNCTIONS } from '../sqlFunctions.ts';
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

class SourceWalker {
  readonly issues: SqlIssue[] = [];
  readonly paths: PathUse[] = [];
  readonly ctes = new Set<string>();

  constructor(private readonly allowTables: boolean) {}

  walk(value: unknown): void {
    if (Array.isArray(value)) {
      for (const v of value) this.walk(v);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    const offset = typeof node.query_location === 'number' && node.query_location < 2 ** 31 ? node.query_location : 0;
    if (node.cte_map && typeof node.cte_map === 'object') {
      for (const entry of ((node.cte_map as Node).map as Array<{ key: string }> | undefined) ?? [])
        this.ctes.add(entry.key.toLowerCase());
    }
    if (node.class === 'FUNCTION' && typeof node.function_name === 'string') this.func(node, offset);
    if (node.type === 'BASE_TABLE') this.table(node, offset);
    if (node.type === 'TABLE_FUNCTION') {
      this.tableFunction(node, offset);
      return;
    }
    if (node.class === 'SUBQUERY' && !this.allowTables)
      this.issues.push({ message: 'subqueries are not allowed in a column mapping', offset });
    for (const [key, child] of Object.entries(node)) if (key !== 'cte_map') this.walk(child);
    if (node.cte_map) this.walk((node.cte_map as Node).map);
  }

  private func(node: Node, offset: number): void {
    const name = String(node.function_name).toLowerCase();
    if (node.schema || node.catalog)
      this.issues.push({ message: `function "${name}" must not name a schema or catalog`, offset });
    else if (!ALLOWED_FUNCTIONS.has(name) && !SOURCE_FUNCTIONS.has(name))
      this.issues.push({ message: `function "${name}" is not allowed in a source`, offset });
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
    if (this.ctes.has(name.toLowerCase())) return;
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
  return walker.issues.map((i) => ({ ...i, offset: Math.max(0, i.offset - prefix.length) }));
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
  const issues = [...walker.issues];
  const replacements: Array<{ offset: number; end: number; path: string }> = [];
  for (const use of walker.paths) {
    const absolute = resolve(base, use.value);
    if (!isInside(folder, absolute)) {
      issues.push({ message: `"${use.value}" is outside the sources folder`, offset: use.offset });
      continue;
    }
    const quote = query[use.offset];
    if (quote !== "'" && quote !== '"') {
      issues.push({ message: `"${use.value}": write the path in quotes`, offset: use.offset });
      continue;
    }
    let end = use.offset + 1;
    while (end < query.length && !(query[end] === quote && query[end + 1] !== quote))
      end += query[end] === quote ? 2 : 1;
    replacements.push({ offset: use.offset, end: end + 1, path: absolute });
  }
  if (issues.length) return { issues };
  let sql = query;
  for (const r of replacements.sort((a, b) => b.offset - a.offset))
    sql = `${sql.slice(0, r.offset)}'${r.path.replace(/'/g, "''")}'${sql.slice(r.end)}`;
  return { issues: [], sql };
}
