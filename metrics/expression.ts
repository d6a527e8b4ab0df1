// An analyst's SQL expression, parsed by DuckDB itself (json_serialize_sql parses without
// running anything) and walked to enforce the sandbox: one expression, no statements, no table
// functions or files, subqueries only over contract tables, no settings.
import { isContractTable } from '../data/contract.ts';
import type { Session } from '../data/db.ts';

export interface ExpressionIssue {
  code:
    | 'sql-syntax'
    | 'outside-sandbox'
    | 'not-one-expression'
    | 'not-an-aggregate'
    | 'aggregate-not-allowed'
    | 'window-not-allowed';
  message: string;
  /** Offset into the expression text, when known. */
  offset: number;
}

export interface ParsedExpression {
  /** Column references outside any subquery, as written (last part of a qualified name). */
  columns: Array<{ name: string; qualifier?: string; offset: number }>;
  aggregates: number;
  issues: ExpressionIssue[];
}

const PREFIX = 'SELECT ';

// Functions that reach outside a single expression over the row: files, settings, sequences,
// catalogs, extensions. External access is also switched off for the whole instance at run time.
const DENIED_FUNCTION = new RegExp(
  `^(${[
    'read_.*',
    'glob',
    'getenv',
    'current_setting',
    'set_config',
    'nextval',
    'setval',
    'currval',
    'pragma_.*',
    'duckdb_.*',
    'sniff_csv',
    'parquet_.*',
    'query',
    'query_table',
    'sql_auto_complete',
    'which_secret',
    'load_extension',
    'install_extension',
    'checkpoint',
    'force_checkpoint',
    'enable_.*',
    'disable_.*',
    'icu_.*',
    'test_.*',
    'summary',
    'json_execute_serialized_sql',
    'json_serialize_sql',
    'json_deserialize_sql',
    'from_.*',
    'export_.*',
    'import_.*',
    'write_.*',
    'iceberg_.*',
    'delta_.*',
    'sqlite_.*',
    'postgres_.*',
    'mysql_.*',
    'http.*',
    'glob_.*',
    'file_.*',
    'list_files',
    'current_database',
    'current_schema',
    'current_schemas',
    'current_catalog',
    'version',
    'pg_.*',
    'has_.*_privilege',
    'txid_current',
  ].join('|')})$`,
  'i',
);

export { ALLOWED_FUNCTIONS } from '../data/sqlFunctions.ts';
import { ALLOWED_FUNCTIONS, formatCallProblem } from '../data/sqlFunctions.ts';

/** Bounds on an expression's parse tree, checked before DuckDB binds it. */
export const MAX_EXPRESSION_NODES = 400;
export const MAX_EXPRESSION_DEPTH = 24;

// Table references a definition's subqueries may use; SHOW, DESCRIBE, SUMMARIZE, PIVOT, VALUES
// lists and table functions are not among them.
const ALLOWED_TABLE_REFS = new Set(['BASE_TABLE', 'SUBQUERY', 'JOIN', 'EMPTY']);

let aggregateNames: Set<string> | undefined;

export async function loadAggregateNames(session: Session): Promise<Set<string>> {
  if (!aggregateNames) {
    const rows = await session.all<{ n: string }>(
      `SELECT DISTINCT lower(function_name) AS n FROM duckdb_functions() WHERE function_type = 'aggregate'`,
    );
    aggregateNames = new Set([...rows.map((r) => r.n), 'count_star']);
  }
  return aggregateNames;
}

/** Reject what must never reach the parser's output: statement separators and comments. */
function lexicalIssues(text: string): ExpressionIssue[] {
  const issues: ExpressionIssue[] = [];
  const semicolon = text.indexOf(';');
  if (semicolon >= 0)
    issues.push({
      code: 'outside-sandbox',
      message: 'a definition is one expression: ";" (a second statement) is not allowed',
      offset: semicolon,
    });
  for (const token of ['--', '/*']) {
    const at = text.indexOf(token);
    if (at >= 0)
      issues.push({
        code: 'outside-sandbox',
        message: `comments ("${token}") are not allowed inside an expression; use the definition's description`,
        offset: at,
      });
  }
  return issues;
}

interface Node {
  [key: string]: unknown;
}

interface WalkState {
  inAggregate: boolean;
  inSubquery: boolean;
}

export async function parseExpression(
  session: Session,
  text: string,
  kind: 'measure' | 'filter' | 'derived',
): Promise<ParsedExpression> {
  const issues = lexicalIssues(text);
  const result: ParsedExpression = { columns: [], aggregates: 0, issues };
  if (issues.length) return result;
  const expression = await parseOne(session, text, issues);
  if (!expression) return result;
  const size = treeSize(expression);
  if (size.nodes > MAX_EXPRESSION_NODES || size.depth > MAX_EXPRESSION_DEPTH) {
    const message =
      `the expression is too large to check (${size.nodes} parts nested ${size.depth} deep; at most ` +
      `${MAX_EXPRESSION_NODES} parts nested ${MAX_EXPRESSION_DEPTH} deep): split it into simpler metrics`;
    issues.push({ code: 'outside-sandbox', message, offset: 0 });
    return result;
  }
  new Walker(result, await loadAggregateNames(session), kind).walk(expression, {
    inAggregate: false,
    inSubquery: false,
  });
  if (!result.issues.length) aggregationIssues(result, kind);
  return result;
}

/** DuckDB's parse of `SELECT <text>`, when it is exactly one expression with nothing around it. */
async function parseOne(session: Session, text: string, issues: ExpressionIssue[]): Promise<Node | null> {
  const row = await session.one<{ j: string }>(`SELECT json_serialize_sql(CAST($sql AS VARCHAR)) AS j`, {
    sql: PREFIX + text,
  });
  const parsed = JSON.parse(row?.j ?? '{}') as {
    error?: boolean;
    error_message?: string;
    position?: string;
    statements?: Node[];
  };
  if (parsed.error) {
    const offset = Math.max(0, Number(parsed.position ?? PREFIX.length) - PREFIX.length);
    issues.push({ code: 'sql-syntax', message: `SQL syntax error: ${parsed.error_message ?? 'cannot parse'}`, offset });
    return null;
  }
  const statements = parsed.statements ?? [];
  const select = statements[0]?.node as Node | undefined;
  const list = (select?.select_list as Node[] | undefined) ?? [];
  const single =
    statements.length === 1 &&
    select?.type === 'SELECT_NODE' &&
    list.length === 1 &&
    (select.from_table as Node | undefined)?.type === 'EMPTY' &&
    select.where_clause === null &&
    (select.group_expressions as unknown[]).length === 0 &&
    select.having === null &&
    select.qualify === null &&
    (select.modifiers as unknown[]).length === 0 &&
    ((select.cte_map as { map: unknown[] }).map ?? []).length === 0 &&
    list[0]!.alias === '';
  if (single) return list[0]!;
  const message = 'expected exactly one SQL expression (no FROM, WHERE, aliases or further clauses)';
  issues.push({ code: 'not-one-expression', message, offset: 0 });
  return null;
}

/** A measure must aggregate, with every column inside an aggregate; a filter or derived one must not. */
function aggregationIssues(result: ParsedExpression, kind: 'measure' | 'filter' | 'derived'): void {
  if (kind === 'measure') {
    const loose = result.columns.filter(
      (c) => !(c as { inAggregate?: boolean }).inAggregate && !['period_start', 'period_end'].includes(c.name),
    );
    if (result.aggregates === 0) {
      const message = 'a measure must aggregate the rows of a period, e.g. count(*), sum(amount), avg(...)';
      result.issues.push({ code: 'not-an-aggregate', message, offset: 0 });
    } else if (loose.length) {
      const name = loose[0]!.name;
      const message = `column "${name}" is used outside an aggregate; wrap it in one (e.g. avg(${name}))`;
      result.issues.push({ code: 'not-an-aggregate', message, offset: loose[0]!.offset });
    }
    return;
  }
  if (result.aggregates > 0) {
    const message =
      kind === 'filter'
        ? 'a filter is a condition on each row and cannot aggregate'
        : 'a derived expression combines metrics by name and cannot aggregate';
    result.issues.push({ code: 'aggregate-not-allowed', message, offset: 0 });
  }
}

/** Expression nodes and their deepest nesting in a parse tree (the JSON's own wrappers not counted). */
function treeSize(value: unknown, depth = 0): { nodes: number; depth: number } {
  if (!value || typeof value !== 'object') return { nodes: 0, depth };
  const node = value as Node;
  const counted = !Array.isArray(value) && (typeof node.class === 'string' || typeof node.type === 'string');
  const here = counted ? depth + 1 : depth;
  let nodes = counted ? 1 : 0;
  let deepest = here;
  for (const child of Array.isArray(value) ? value : Object.values(node)) {
    const s = treeSize(child, here);
    nodes += s.nodes;
    deepest = Math.max(deepest, s.depth);
  }
  return { nodes, depth: deepest };
}

function offsetOf(node: Node): number {
  const at = Number(node.query_location);
  return Number.isFinite(at) && at < 1e15 ? Math.max(0, at - PREFIX.length) : 0;
}

/**
 * The sandbox walk over DuckDB's parse tree: table references, query nodes, functions, columns
 * and the rest each checked by a method of their own; everything else is walked through.
 */
class Walker {
  constructor(
    private readonly out: ParsedExpression,
    private readonly aggregates: Set<string>,
    private readonly kind: string,
  ) {}

  walk(value: unknown, state: WalkState): void {
    if (Array.isArray(value)) {
      for (const v of value) this.walk(v, state);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    if (typeof node.class !== 'string' && 'sample' in node && 'alias' in node) {
      this.tableRef(node, state);
      return;
    }
    if (['SELECT_NODE', 'SET_OPERATION_NODE', 'RECURSIVE_CTE_NODE', 'CTE_NODE'].includes(String(node.type))) {
      this.queryNode(node, state);
      return;
    }
    switch (node.class) {
      case 'SUBQUERY':
        if (this.kind === 'derived') {
          this.deny(node, 'a derived expression combines metrics by name; subqueries are not allowed');
          return;
        }
        this.walk(node.subquery, { ...state, inSubquery: true });
        this.walk(node.child, state);
        return;
      case 'FUNCTION':
        this.func(node, state);
        return;
      case 'WINDOW':
        this.out.issues.push({
          code: 'window-not-allowed',
          message: 'window functions (OVER …) are not allowed in a definition',
          offset: offsetOf(node),
        });
        return;
      case 'COLUMN_REF':
        this.column(node, state);
        return;
      case 'PARAMETER':
        this.deny(node, 'parameters ($1, ?) are not allowed in a definition');
        return;
      case 'STAR':
        if (!state.inSubquery) {
          this.deny(node, '* and COLUMNS(...) are not allowed in an expression; name the columns');
          return;
        }
        break;
    }
    for (const child of Object.values(node)) if (child && typeof child === 'object') this.walk(child, state);
  }

  private deny(node: Node, message: string): void {
    this.out.issues.push({ code: 'outside-sandbox', message, offset: offsetOf(node) });
  }

  /** Table references anywhere (in subqueries): only contract tables, only by plain name. */
  private tableRef(node: Node, state: WalkState): void {
    if (node.type === 'TABLE_FUNCTION') {
      const fn = String((node.function as Node | undefined)?.function_name ?? 'this one');
      this.deny(node, `table functions such as ${fn}() are not allowed: a definition reads only the contract tables`);
      return;
    }
    if (!ALLOWED_TABLE_REFS.has(String(node.type))) {
      const what = String(node.type).replace(/_REF$/, '').toLowerCase();
      this.deny(node, `${what} is not allowed inside a definition: a subquery may read only the contract tables`);
      return;
    }
    if (node.type !== 'BASE_TABLE') {
      for (const child of Object.values(node)) if (child && typeof child === 'object') this.walk(child, state);
      return;
    }
    const name = String(node.table_name);
    if (isContractTable(name) && (!node.schema_name || node.schema_name === 'main') && !node.catalog_name) return;
    const full = [node.catalog_name, node.schema_name, name].filter(Boolean).join('.');
    this.deny(
      node,
      `table "${full}" is not a contract table (expected customers, touchpoints, spend, surveys or orders)`,
    );
  }

  private queryNode(node: Node, state: WalkState): void {
    const cte = (node.cte_map as { map?: unknown[] } | undefined)?.map ?? [];
    if (cte.length) this.deny(node, 'WITH clauses are not allowed inside a definition');
    for (const [key, child] of Object.entries(node)) if (key !== 'cte_map') this.walk(child, state);
  }

  private func(node: Node, state: WalkState): void {
    const name = String(node.function_name).toLowerCase();
    if (node.schema && node.schema !== 'main') {
      this.deny(node, `functions must be called by plain name (got ${String(node.schema)}.${name})`);
      return;
    }
    if (DENIED_FUNCTION.test(name)) {
      this.deny(
        node,
        `function ${name}() is outside the sandbox: definitions cannot read files, settings, sequences or the catalog`,
      );
      return;
    }
    if (!ALLOWED_FUNCTIONS.has(name)) {
      const allowed = "arithmetic, aggregates, and number, text and date functions; see the README's Sandbox";
      this.deny(node, `function ${name}() is not allowed in a definition (allowed: ${allowed})`);
      return;
    }
    const formatProblem = formatCallProblem(name, node.children);
    if (formatProblem) {
      this.deny(node, formatProblem);
      return;
    }
    const isAggregate = this.aggregates.has(name) && !node.is_operator && !state.inSubquery;
    if (isAggregate && state.inAggregate) {
      const message = `aggregate ${name}() cannot be nested inside another aggregate`;
      this.out.issues.push({ code: 'not-an-aggregate', message, offset: offsetOf(node) });
      return;
    }
    if (isAggregate) this.out.aggregates++;
    const inner = { ...state, inAggregate: state.inAggregate || isAggregate };
    for (const part of [node.children, node.filter, node.order_bys]) this.walk(part, inner);
  }

  private column(node: Node, state: WalkState): void {
    if (state.inSubquery) return;
    const parts = node.column_names as string[];
    const qualifier = parts.length > 1 ? parts.at(-2) : undefined;
    this.out.columns.push({
      name: parts.at(-1)!,
      qualifier,
      offset: offsetOf(node),
      inAggregate: state.inAggregate,
    } as ParsedExpression['columns'][number]);
  }
}
