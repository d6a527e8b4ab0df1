// SQL that finds every contract violation in staged (all-text) rows, and SQL that converts
// staged text into typed values. Both are built only from the contract's own column names.
import { CONTRACT, EXPECTED, layoutColumns, type ColumnSpec, type ContractTable, type Layout } from '../contract.ts';
import { quoteIdent } from '../db.ts';

export const stageTable = (table: ContractTable) => `stage_${table}`;
export const cleanTable = (table: ContractTable) => `clean_${table}`;

/** SQL expression turning the staged text of a column into its stored type. */
export function convertExpr(column: ColumnSpec): string {
  const v = `nullif(trim(${quoteIdent(column.name)}), '')`;
  switch (column.kind) {
    case 'id':
    case 'text':
      return `nullif(${v}, '')`;
    case 'channel':
    case 'survey_kind':
      return `nullif(lower(${v}), '')`;
    case 'date':
      return `${v}::DATE`;
    case 'timestamp':
      // Naive timestamps are read as UTC (the session time zone); zoned ones are converted to UTC.
      return `(${v})::TIMESTAMPTZ::TIMESTAMP`;
    case 'month':
      return `(${v} || '-01')::DATE`;
    case 'amount':
    case 'number':
      return `${v}::DOUBLE`;
    case 'score':
      return `${v}::INTEGER`;
  }
}

/**
 * SQL expression converting a column as it is read from the CSV file, for loading into an empty
 * table. It yields exactly what convertExpr yields for every value the contract accepts, and
 * raises an error for any value it cannot vouch for (missing, malformed, out of range); the careful
 * path then reports the problem by line. The common date shapes (2024-05-01, 2024-05-01 10:00:00)
 * take a plain cast; the zone-aware cast, three times slower, is kept for values that may carry an
 * offset. Text columns (ids, text, channels) are loaded as read and tidied afterwards (tidyQuery):
 * testing the stored column costs a third of converting every value while reading (measured at 33M
 * rows: 0.45 s against 1.4 s).
 */
export function loadExpr(column: ColumnSpec): string {
  const raw = quoteIdent(column.name);
  const v = `trim(${raw})`;
  // Stricter than the careful path is always safe (an error hands over to it), so only the exactly
  // empty value counts as blank here: "   " falls through to an error and the careful path says
  // "missing value".
  const blank = `${raw} IS NULL OR ${raw} = ''`;
  // GLOB with character classes is a cheap, exact shape test (a regular expression costs 2x more).
  const d = '[0-9]';
  const day = `${d}${d}${d}${d}-${d}${d}-${d}${d}`;
  const shaped = (...globs: string[]) => `(${globs.map((g) => `${raw} GLOB '${g}'`).join(' OR ')})`;
  const reject = `error(${sqlString(`${column.name}: value outside the contract`)})`;
  let converted: string;
  switch (column.kind) {
    case 'id':
    case 'text':
    case 'channel':
      // As read; tidyQuery trims and lower-cases, loadedViolationQuery checks that required ones are present.
      return raw;
    case 'survey_kind':
      converted = `CASE WHEN lower(${raw}) IN ('nps', 'csat') THEN lower(${raw}) WHEN ${blank} THEN NULL
        WHEN lower(${v}) IN ('nps', 'csat') THEN lower(${v}) ELSE ${reject} END`;
      break;
    case 'date':
      converted = `CASE WHEN ${shaped(day)} THEN CAST(${raw} AS DATE) WHEN ${blank} THEN NULL
        WHEN regexp_full_match(${v}, '\\d{4}-\\d{2}-\\d{2}') THEN CAST(${v} AS DATE) ELSE ${reject} END`;
      break;
    case 'timestamp':
      converted = `CASE WHEN ${shaped(`${day}[ T]${d}${d}:${d}${d}:${d}${d}`, day)} THEN CAST(${raw} AS TIMESTAMP)
        WHEN ${blank} THEN NULL
        WHEN regexp_matches(${v}, '^\\d{4}-\\d{2}-\\d{2}') THEN CAST(CAST(${v} AS TIMESTAMPTZ) AS TIMESTAMP)
        ELSE ${reject} END`;
      break;
    case 'month':
      converted = `CASE WHEN ${shaped(`${d}${d}${d}${d}-${d}${d}`)} THEN CAST(${raw} || '-01' AS DATE)
        WHEN ${blank} THEN NULL
        WHEN regexp_full_match(${v}, '\\d{4}-\\d{2}') THEN CAST(${v} || '-01' AS DATE) ELSE ${reject} END`;
      break;
    case 'amount':
    case 'number':
      // DuckDB's number cast ignores surrounding spaces, as trim-then-cast would. Finite and ≥ 0 is
      // checked after loading (loadedViolationQuery): one cast per value here.
      converted = `CASE WHEN ${blank} THEN NULL ELSE CAST(${raw} AS DOUBLE) END`;
      break;
    case 'score': {
      // Valid scores written plainly (NPS 0–10, CSAT 1–5) take a cheap test; the rest ("07", " 5")
      // the careful path's own rule.
      const kind = `lower(trim("kind"))`;
      const score = `CAST(${v} AS INTEGER)`;
      converted = `CASE WHEN (lower("kind") = 'nps' AND (${raw} GLOB '[0-9]' OR ${raw} = '10'))
          OR (lower("kind") = 'csat' AND ${raw} GLOB '[1-5]') THEN CAST(${raw} AS INTEGER)
        WHEN ${blank} THEN NULL
        WHEN regexp_full_match(${v}, '-?\\d+') AND ((${kind} = 'nps' AND ${score} BETWEEN 0 AND 10)
          OR (${kind} = 'csat' AND ${score} BETWEEN 1 AND 5)) THEN ${score}
        ELSE ${reject} END`;
      break;
    }
  }
  return column.required ? `coalesce(${converted}, ${reject})` : converted;
}

const TEXT_KINDS = new Set<ColumnSpec['kind']>(['id', 'text', 'channel']);

/**
 * For rows loaded with loadExpr into `loaded`: an UPDATE giving every text column the value
 * convertExpr would give it (trimmed, empty as NULL, channels lower-case). It writes only the rows
 * that need it, usually none, so its cost is one scan of those columns.
 */
export function tidyQuery(layout: Layout, loaded: string): string | null {
  const columns = layoutColumns(layout).filter((c) => TEXT_KINDS.has(c.kind));
  if (!columns.length) return null;
  const needs = columns.map((c) => {
    const v = quoteIdent(c.name);
    // DuckDB's trim removes spaces only, so these are exactly the values trim or nullif would change.
    const untidy = `${v} = '' OR starts_with(${v}, ' ') OR ends_with(${v}, ' ')`;
    return c.kind === 'channel' ? `${untidy} OR ${v} <> lower(${v})` : untidy;
  });
  return (
    `UPDATE ${loaded} SET ${columns.map((c) => `${quoteIdent(c.name)} = ${convertExpr(c)}`).join(', ')} WHERE ` +
    `${needs.map((n) => `(${n})`).join(' OR ')}`
  );
}

/**
 * For rows loaded with loadExpr into `loaded` (a copy of the table's layout) and tidied with
 * tidyQuery, one query returning
 * { n } = the number of rows breaking a rule no single value shows (churn before signup, an
 * unknown customer, a repeated key) or one left to check here (amounts finite and ≥ 0, required
 * text present). Zero means the careful path would have found nothing either.
 * `importedCustomers` names the table holding the customers of the same import, if any.
 */
export function loadedViolationQuery(layout: Layout, loaded: string, importedCustomers: string | null): string | null {
  const { table } = layout;
  const spec = CONTRACT[table];
  const parts: string[] = [];
  const rowRules = [
    ...(table === 'customers' ? ['churn_date < signup_date'] : []),
    ...spec.columns
      .filter((c) => c.kind === 'amount' || c.kind === 'number')
      .map((c) => `NOT isfinite(${quoteIdent(c.name)})${c.kind === 'amount' ? ` OR ${quoteIdent(c.name)} < 0` : ''}`),
    ...spec.columns.filter((c) => c.required && TEXT_KINDS.has(c.kind)).map((c) => `${quoteIdent(c.name)} IS NULL`),
  ];
  if (rowRules.length)
    parts.push(`SELECT count(*) AS n FROM ${loaded} WHERE ${rowRules.map((r) => `(${r})`).join(' OR ')}`);
  // Control characters in keys, tested on each distinct value (a table of 33M touchpoints holds a
  // few dozen channels).
  // One scan for all of a table's key text columns (touchpoints: channel and activity together).
  const keyText = keyTextColumns(table).map(quoteIdent);
  if (keyText.length) {
    const bad = keyText.map((c) => hasControl(c)).join(' OR ');
    parts.push(`SELECT count(*) AS n FROM (SELECT DISTINCT ${keyText.join(', ')} FROM ${loaded}) WHERE ${bad}`);
  }
  if (spec.referencesCustomer) {
    const known =
      `SELECT customer_id FROM ` +
      `customers${importedCustomers ? ` UNION ALL SELECT customer_id FROM ${importedCustomers}` : ''}`;
    parts.push(
      `SELECT count(*) AS n FROM ${loaded} s WHERE NOT EXISTS (SELECT 1 FROM (${known}) k WHERE k.customer_id = ` +
        `s.customer_id)`,
    );
  }
  if (spec.onConflict === 'replace') {
    // Sorted key hashes: equal neighbours mean a repeated key (or, once in ~10^12, a collision, which
    // only sends the import down the careful path). Sorting is 2x faster than a DISTINCT count.
    const keyHash = `hash(${layout.key.map(quoteIdent).join(', ')})`;
    parts.push(
      `SELECT count(*) AS n FROM (SELECT h, lag(h) OVER (ORDER BY h) AS previous FROM (SELECT ${keyHash} AS h FROM ` +
        `${loaded})) WHERE h = previous`,
    );
  }
  return parts.length ? `SELECT sum(n) AS n FROM (${parts.join(' UNION ALL ')})` : null;
}

/**
 * SQL deleting every repeated copy of a row from `loaded`, keeping the first. Candidate rows are
 * found by sorting a 32-bit hash of all columns (sorting 4-byte keys is about twice as fast as
 * 8-byte ones, and 4x faster than hashing whole rows into a DISTINCT); only rows whose hash repeats
 * (real repeats plus some thousands of collisions at 10^7 rows) are then compared column by column,
 * so a collision never removes a row.
 */
export function deleteRepeatsQuery(layout: Layout, loaded: string): string {
  const { table } = layout;
  const columns = layoutColumns(layout)
    .map((c) => quoteIdent(c.name))
    .join(', ');
  // Identical rows share their identifier and time; hashing just those is cheaper than whole rows.
  const probe = CONTRACT[table].columns
    .filter((c) => c.kind === 'id' || c.kind === 'timestamp')
    .map((c) => quoteIdent(c.name));
  const h = `CAST(hash(${(probe.length ? probe : [columns]).join(', ')}) >> 32 AS UINTEGER)`;
  const repeated =
    `SELECT DISTINCT h FROM (SELECT h, lag(h) OVER (ORDER BY h) AS previous FROM (SELECT ${h} AS h ` +
    `FROM ${loaded})) WHERE h = previous`;
  return `DELETE FROM ${loaded} WHERE rowid IN (
    SELECT rowid FROM (SELECT rowid, row_number() OVER (PARTITION BY ${columns} ORDER BY rowid) AS copy FROM ${loaded}
      WHERE ${h} IN (${repeated}))
    WHERE copy > 1)`;
}

interface Check {
  column: string;
  /** true when the row violates the rule */
  when: string;
  problem: string;
  expected: string;
}

function valueChecks(column: ColumnSpec): Check[] {
  const raw = quoteIdent(column.name);
  const v = `trim(${raw})`;
  const present = `(${raw} IS NOT NULL AND ${v} <> '')`;
  const checks: Check[] = [];
  if (column.required) {
    checks.push({
      column: column.name,
      when: `NOT ${present}`,
      problem: 'missing value',
      expected: EXPECTED[column.kind],
    });
  }
  const bad = (when: string, problem: string, expected: string = EXPECTED[column.kind]) =>
    checks.push({ column: column.name, when: `${present} AND (${when})`, problem, expected });
  switch (column.kind) {
    case 'date':
      bad(`NOT regexp_full_match(${v}, '\\d{4}-\\d{2}-\\d{2}') OR try_cast(${v} AS DATE) IS NULL`, 'not a date');
      break;
    case 'timestamp':
      // The cast rejects malformed times; the prefix test only keeps out what the cast would
      // accept but the contract does not (e.g. "infinity", "epoch").
      bad(
        `NOT regexp_matches(${v}, '^\\d{4}-\\d{2}-\\d{2}') OR try_cast(${v} AS TIMESTAMPTZ) IS NULL`,
        'not a timestamp',
      );
      break;
    case 'month':
      bad(`NOT regexp_full_match(${v}, '\\d{4}-\\d{2}') OR try_cast(${v} || '-01' AS DATE) IS NULL`, 'not a month');
      break;
    case 'amount':
      bad(`try_cast(${v} AS DOUBLE) IS NULL OR NOT isfinite(try_cast(${v} AS DOUBLE))`, 'not a number');
      bad(`try_cast(${v} AS DOUBLE) < 0`, 'negative amount');
      break;
    case 'number':
      bad(`try_cast(${v} AS DOUBLE) IS NULL OR NOT isfinite(try_cast(${v} AS DOUBLE))`, 'not a number');
      break;
    case 'survey_kind':
      bad(`lower(${v}) NOT IN ('nps', 'csat')`, 'unknown survey kind');
      break;
    case 'score':
      bad(`NOT regexp_full_match(${v}, '-?\\d+')`, 'not an integer');
      bad(
        `regexp_full_match(${v}, '-?\\d+') AND (try_cast(${v} AS INTEGER) IS NULL OR (lower(trim("kind")) = 'nps' ` +
          `AND NOT try_cast(${v} AS INTEGER) BETWEEN 0 AND 10) OR (lower(trim("kind")) = 'csat' AND NOT ` +
          `try_cast(${v} AS INTEGER) BETWEEN 1 AND 5))`,
        'score out of range',
        'NPS 0–10, CSAT 1–5',
      );
      break;
    default:
      break;
  }
  return checks;
}

/**
 * Identifiers of a table's key that must be printable: a NUL or other control character in an id
 * or a channel is stored invisibly and breaks every later match (joins, filters, spend). Customer
 * ids of the other tables are left out: they must equal a customer's id, checked here already.
 * Free text in a key (a touchpoint's activity) is kept as written: testing 33M of them cost 1.4 s
 * of a 1M-customer import, for text nothing joins on.
 */
export function keyTextColumns(table: ContractTable): string[] {
  const spec = CONTRACT[table];
  return spec.key.filter((name) => {
    const kind = spec.columns.find((c) => c.name === name)?.kind;
    return (kind === 'id' || kind === 'channel') && !(name === 'customer_id' && spec.referencesCustomer);
  });
}

const hasControl = (expr: string) => `regexp_matches(${expr}, '[\\x00-\\x08\\x0A-\\x1F\\x7F]')`;

function rowChecks(table: ContractTable, knownCustomers: string): Check[] {
  const spec = CONTRACT[table];
  const checks: Check[] = keyTextColumns(table).map((column) => ({
    column,
    when: hasControl(quoteIdent(column)),
    problem: 'control character in an identifier',
    expected: 'printable text (no NUL, line break or other control character; tabs are kept)',
  }));
  if (table === 'customers') {
    checks.push({
      column: 'churn_date',
      when: `try_cast(trim(churn_date) AS DATE) < try_cast(trim(signup_date) AS DATE)`,
      problem: 'churn_date is before signup_date',
      expected: 'churn_date ≥ signup_date, or empty while still active',
    });
  }
  if (spec.referencesCustomer) {
    checks.push({
      column: 'customer_id',
      when: `trim(customer_id) <> '' AND trim(customer_id) NOT IN (${knownCustomers})`,
      problem: 'unknown customer',
      expected: 'a customer_id in the database or in this import',
    });
  }
  return checks;
}

/** Normalised key expression, as the stored row would have it. */
function keyExprs(layout: Layout): string[] {
  const columns = layoutColumns(layout);
  return layout.key.map((name) => {
    const column = columns.find((c) => c.name === name)!;
    return column.kind === 'channel' || column.kind === 'month'
      ? `lower(trim(${quoteIdent(name)}))`
      : `trim(${quoteIdent(name)})`;
  });
}

/**
 * One query over the staged rows of a table returning every problem as
 * (file, line, column, value, problem), in file order.
 */
export function problemsQuery(layout: Layout, knownCustomers: string): string {
  const { table } = layout;
  const spec = CONTRACT[table];
  const checks = [...spec.columns.flatMap(valueChecks), ...rowChecks(table, knownCustomers)];
  const parts = checks.map(
    (c) =>
      `SELECT _file, _line, '${c.column}' AS "column", ${quoteIdent(c.column)}::VARCHAR AS value, ` +
      `${sqlString(c.problem)} AS problem, ${sqlString(c.expected)} AS expected FROM ${stageTable(table)} WHERE ` +
      `${c.when}`,
  );
  if (spec.onConflict === 'replace') {
    const keys = keyExprs(layout);
    const keyLabel = layout.key.join(', ');
    parts.push(`SELECT _file, _line, '${keyLabel}' AS "column",
      concat_ws(', ', ${layout.key.map(quoteIdent).join(', ')}) AS value,
      'duplicate key (first seen on line ' || first_line || ')' AS problem, 'one row per ${keyLabel}' AS expected
      FROM (SELECT *, row_number() OVER w AS nth, first_value(_line) OVER w AS first_line
            FROM ${stageTable(table)} WHERE ${keys.map((k) => `${k} <> ''`).join(' AND ')}
            WINDOW w AS (PARTITION BY ${keys.join(', ')} ORDER BY _file, _line))
      WHERE nth > 1`);
  }
  return parts.join('\nUNION ALL\n');
}

/** A constant string literal for text we wrote ourselves (never user input). */
function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * Cheap queries that each return { n }: the number of rows breaking any rule. All zero (the usual
 * case) means the detailed report is not needed: one scan for every value and row rule, one
 * anti-join for unknown customers, one grouping for duplicate keys.
 */
export function violationCountQueries(layout: Layout, knownCustomers: string): string[] {
  const { table } = layout;
  const spec = CONTRACT[table];
  const local = [
    ...spec.columns.flatMap(valueChecks),
    ...rowChecks(table, knownCustomers).filter((c) => c.column !== 'customer_id' || !spec.referencesCustomer),
  ];
  const queries = [
    `SELECT count(*) AS n FROM ${stageTable(table)} WHERE ${local.map((c) => `(${c.when})`).join(' OR ') || 'false'}`,
  ];
  if (spec.referencesCustomer) {
    queries.push(
      `SELECT count(*) AS n FROM ${stageTable(table)} s WHERE trim(s.customer_id) <> '' AND NOT EXISTS (SELECT 1 ` +
        `FROM (${knownCustomers}) k WHERE k.customer_id = trim(s.customer_id))`,
    );
  }
  if (spec.onConflict === 'replace') {
    const keys = keyExprs(layout);
    queries.push(
      `SELECT count(*) AS n FROM (SELECT 1 FROM ${stageTable(table)} WHERE ` +
        `${keys.map((k) => `${k} <> ''`).join(' AND ')} GROUP BY ${keys.join(', ')} HAVING count(*) > 1)`,
    );
  }
  return queries;
}

/**
 * The customer ids rows of this import may refer to: the stored ones and the import's own, or only
 * the import's own when it replaces every customer (a full refresh).
 */
export function knownCustomersSql(customersStaged: boolean, customersReplaced: boolean): string {
  const staged = `SELECT trim(customer_id) AS customer_id FROM ${stageTable('customers')}`;
  if (customersStaged && customersReplaced) return staged;
  return customersStaged
    ? `SELECT customer_id FROM customers UNION ALL ${staged}`
    : 'SELECT customer_id FROM customers';
}

/** SQL creating the typed copy of the staged rows. */
export function cleanQuery(layout: Layout): string {
  return `CREATE TEMP TABLE ${cleanTable(layout.table)} AS ${convertedRows(layout)}`;
}

/** The staged rows converted to their stored types (deduplicated where the table dedupes). */
export function convertedRows(layout: Layout): string {
  const { table } = layout;
  const spec = CONTRACT[table];
  const select = layoutColumns(layout)
    .map((c) => `${convertExpr(c)} AS ${quoteIdent(c.name)}`)
    .join(', ');
  const distinct = spec.onConflict === 'dedupe' ? 'DISTINCT ' : '';
  return `SELECT ${distinct}${select} FROM ${stageTable(table)}`;
}

/** Join condition matching a clean row c to a stored row t on every column (null-safe). */
export function sameRow(layout: Layout, columns: 'key' | 'all'): string {
  const names = columns === 'key' ? layout.key : layoutColumns(layout).map((c) => c.name);
  return names.map((n) => `t.${quoteIdent(n)} IS NOT DISTINCT FROM c.${quoteIdent(n)}`).join(' AND ');
}
