// Definition + query options → parameterised DuckDB SQL. Pure: no I/O. Identifiers come only
// from checked definitions and the contract and pass quoteIdent; grains map through a table;
// every value a user chooses at query time is a bound parameter.
import { CONTRACT, CUSTOMER_DIMENSIONS } from '../data/contract.ts';
import type { TableExtras } from '../data/schema.ts';
import { quoteIdent, type SqlValue } from '../data/db.ts';
import { isDerived, type AggregateDefinition, type Definition, type Grain } from './definition.ts';

export interface SeriesOptions {
  grain: Grain;
  /** First day wanted (YYYY-MM-DD); null = from the first row of the data. */
  from: string | null;
  /** Last day wanted; the period containing it is the last one. */
  to: string;
  asOf: string;
  by?: string;
  where?: Record<string, string>;
  /** With `by`: keep the largest groups, the rest folded into "(other)" (metrics/topGroups.ts). */
  top?: number;
}

/** What a caller asks of a series; normalizeRequest fills in the defaults. */
export interface SeriesRequest {
  grain?: Grain;
  from?: string;
  to?: string;
  asOf?: string;
  by?: string;
  where?: Record<string, string>;
  /** With `by`: keep the largest groups, the rest folded into "(other)" (metrics/topGroups.ts). */
  top?: number;
}

/**
 * The one place a request's defaults are decided (month grain, from the first row, up to the
 * as-of date). Stored series are keyed by the SQL this yields, so series and rollups both use it:
 * a changed default changes both alike.
 */
export function normalizeRequest(request: SeriesRequest & { asOf: string }): SeriesOptions {
  return {
    grain: request.grain ?? 'month',
    from: request.from ?? null,
    to: request.to && request.to < request.asOf ? request.to : request.asOf,
    asOf: request.asOf,
    by: request.by,
    where: request.where,
  };
}

export interface CompiledQuery {
  sql: string;
  params: Record<string, SqlValue>;
}

const GRAIN: Record<Grain, { trunc: string; step: string }> = {
  day: { trunc: 'day', step: 'INTERVAL 1 DAY' },
  week: { trunc: 'week', step: 'INTERVAL 7 DAY' },
  month: { trunc: 'month', step: 'INTERVAL 1 MONTH' },
  quarter: { trunc: 'quarter', step: 'INTERVAL 3 MONTH' },
};

/**
 * The extra columns (kept by sources) the checker saw for each definition's tables, by definition:
 * the compiler needs to know whether a dimension is the table's own or its customer's.
 */
const liveExtras = new WeakMap<AggregateDefinition, TableExtras>();

export function rememberExtras(definition: AggregateDefinition, extras: TableExtras): void {
  liveExtras.set(definition, extras);
}

/** A table's own columns: the contract's and those its sources keep. */
export function ownColumns(table: AggregateDefinition['table'], extras: TableExtras = {}): string[] {
  return [...CONTRACT[table].columns.map((c) => c.name), ...(extras[table] ?? [])];
}

/** Columns a definition may break down or filter by: its own table's, and customers' through customer_id. */
export function availableDimensions(table: AggregateDefinition['table'], extras: TableExtras = {}): string[] {
  const own = ownColumns(table, extras);
  const viaCustomer =
    own.includes('customer_id') && table !== 'customers'
      ? [...CUSTOMER_DIMENSIONS, ...(extras.customers ?? [])].filter((d) => !own.includes(d))
      : [];
  return [...own, ...viaCustomer];
}

type Resolve = (name: string) => Definition | undefined;

export function compileSeries(definition: Definition, options: SeriesOptions, resolve: Resolve): CompiledQuery {
  const params: Record<string, SqlValue> = { from: options.from, to: options.to, as_of: options.asOf };
  const whereEntries = Object.entries(options.where ?? {});
  for (const [i, [, value]] of whereEntries.entries()) params[`w${i}`] = value;
  const sql = isDerived(definition)
    ? derivedSql(definition, options, resolve, new Set(), params)
    : aggregateSql(definition, options, params);
  return { sql, params };
}

/**
 * An aggregate definition's series as one query of named parts: `periods` (every period from the
 * first wanted to the last, mature ones only), `scoped` (the table's rows that can fall in them,
 * with the customer dimensions they need), `period_rows` (each row in each period it counts in),
 * then the measure per period (and group). `part` compiles only the measure or the filter over the
 * same rows, for the checker to bind.
 */
function aggregateSql(
  d: AggregateDefinition,
  options: SeriesOptions,
  params: Record<string, SqlValue>,
  part: 'series' | 'measure' | 'filter' = 'series',
): string {
  const ctes = `WITH periods AS (${periodsCte(d, options, params)}),
scoped AS (${scopedCte(d, options)}),
period_rows AS (${periodRowsCte(d, options)})`;
  // The definition's own SQL names the table, so the period rows are offered under its name.
  const group = options.by ? `, coalesce(CAST(${quoteIdent(options.by)} AS VARCHAR), '(none)') AS "group"` : '';
  const rowSource = `(SELECT *${group} FROM period_rows) AS ${quoteIdent(d.table)}`;
  if (part === 'measure') {
    return `${ctes}\nSELECT (\n${measureOf(d)}\n) AS value FROM ${rowSource} GROUP BY period_start, period_end`;
  }
  if (part === 'filter') return `${ctes}\nSELECT (\n${d.filter}\n) AS keep FROM ${rowSource}`;
  return `${ctes},
agg AS (${aggCte(d, options, rowSource)})
${seriesSelect(options)}`;
}

/**
 * A weekly row spread over its seven days: `sum(x)` becomes `sum((x) * __share)`, each day holding a
 * seventh. Null when the measure is not one outer sum (the checker refuses row_period: week then).
 */
export function spreadMeasure(measure: string): string | null {
  const m = /^\s*sum\s*\(([\s\S]*)\)\s*$/i.exec(measure);
  if (!m) return null;
  // The opening parenthesis must close at the very end: "sum(a) / sum(b)" is not one sum.
  let depth = 0;
  for (const ch of m[1]!) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return null;
  }
  return depth === 0 ? `sum((${m[1]}) * __share)` : null;
}

const weekly = (d: AggregateDefinition) => d.row_period === 'week' && !d.active_until;
/** The measure as the series computes it: spread over days for weekly rows. */
const measureOf = (d: AggregateDefinition) => (weekly(d) ? (spreadMeasure(d.measure) ?? d.measure) : d.measure);

/** Every period from `from` (or the table's first row) to `to`; with maturity, only mature ones. */
function periodsCte(d: AggregateDefinition, options: SeriesOptions, params: Record<string, SqlValue>): string {
  const { trunc, step } = GRAIN[options.grain];
  const first =
    `coalesce(CAST($from AS DATE), (SELECT min(CAST(${quoteIdent(d.time)} AS DATE)) FROM ` +
    `${quoteIdent(d.table)}), CAST($to AS DATE))`;
  // One parameter per definition: a derived metric may combine components with different maturity.
  const matureParam = `mature_${d.name}`;
  if (d.mature_after_days !== undefined) params[matureParam] = d.mature_after_days;
  const mature =
    d.mature_after_days === undefined
      ? ''
      : `WHERE CAST(p + ${step} - INTERVAL 1 DAY AS DATE) + to_days(CAST($${matureParam} AS INTEGER)) <= ` +
        `CAST($as_of AS DATE)`;
  return `
  SELECT CAST(p AS DATE) AS period_start, CAST(p + ${step} - INTERVAL 1 DAY AS DATE) AS period_end
  FROM range(CAST(date_trunc('${trunc}', ${first}) AS TIMESTAMP),
             CAST(CAST($to AS DATE) AS TIMESTAMP) + INTERVAL 1 DAY, ${step}) r(p)
  ${mature}
`;
}

/** The table's rows that can fall in the periods, with the customer dimensions the request needs. */
function scopedCte(d: AggregateDefinition, options: SeriesOptions): string {
  const time = `t.${quoteIdent(d.time)}`;
  const own = new Set(ownColumns(d.table, liveExtras.get(d)));
  const needed = new Set([...(options.by ? [options.by] : []), ...Object.keys(options.where ?? {})]);
  const joined = [...needed].filter((dim) => !own.has(dim));
  const customerJoin = joined.length ? 'LEFT JOIN customers c ON c.customer_id = t.customer_id' : '';
  const extra = joined.map((dim) => `, c.${quoteIdent(dim)}`).join('');
  // A row with a life (active_until) reaches into later periods: it is in scope until it ends.
  const until = d.active_until ? `t.${quoteIdent(d.active_until)}` : null;
  const startsInTime = until
    ? `(${until} IS NULL OR ${until} >= (SELECT min(period_start) FROM periods))`
    : `CAST(${time} AS DATE) >= (SELECT min(period_start) FROM periods)`;
  if (weekly(d)) {
    // Each weekly row once per day of its week, dated that day, holding a seventh (see spreadMeasure).
    const day = `CAST(${time} AS DATE) + CAST(w.i AS INTEGER)`;
    return `
  SELECT t.* REPLACE (${day} AS ${quoteIdent(d.time)}), 1.0 / 7 AS __share${extra}
  FROM ${quoteIdent(d.table)} t CROSS JOIN range(7) w(i) ${customerJoin}
  WHERE ${day} <= (SELECT max(period_end) FROM periods) AND ${day} >= (SELECT min(period_start) FROM periods)
`;
  }
  return `
  SELECT t.*${extra} FROM ${quoteIdent(d.table)} t ${customerJoin}
  WHERE CAST(${time} AS DATE) <= (SELECT max(period_end) FROM periods) AND ${startsInTime}
`;
}

/** Each scoped row in the period its time falls in, or, with active_until, every period it lives in. */
function periodRowsCte(d: AggregateDefinition, options: SeriesOptions): string {
  const time = `s.${quoteIdent(d.time)}`;
  if (!d.active_until) {
    const { trunc } = GRAIN[options.grain];
    return `
  SELECT s.*, p.period_start, p.period_end FROM scoped s JOIN periods p ON p.period_start = CAST(date_trunc('${trunc}',
    ${time}) AS DATE)
`;
  }
  const until = `s.${quoteIdent(d.active_until)}`;
  return `
  SELECT s.*, p.period_start, p.period_end FROM scoped s JOIN periods p
    ON CAST(${time} AS DATE) <= p.period_end AND (${until} IS NULL OR CAST(${until} AS DATE) >= p.period_start)
`;
}

/** The measure per period (and group), over the rows the filter and the request's where keep. */
function aggCte(d: AggregateDefinition, options: SeriesOptions, rowSource: string): string {
  const conditions = [
    ...(d.filter ? [`(\n${d.filter}\n)`] : []),
    ...Object.keys(options.where ?? {}).map((dim, i) => `CAST(${quoteIdent(dim)} AS VARCHAR) = $w${i}`),
  ];
  const keys = `period_start, period_end${options.by ? ', "group"' : ''}`;
  // Weekly rows spread over days count as the weeks (or share of a week) the period holds.
  const n = weekly(d) ? 'CAST(round(sum(__share)) AS BIGINT)' : 'count(*)';
  return `
  SELECT ${keys}, (
${measureOf(d)}
  ) AS value, ${n} AS n
  FROM ${rowSource}
  ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
  GROUP BY ${keys}
`;
}

/** Every period (and group) listed, empty ones with value null, each marked complete or not. */
function seriesSelect(options: SeriesOptions): string {
  const by = Boolean(options.by);
  return `SELECT strftime(p.period_start, '%Y-%m-%d') AS period${by ? ', g."group"' : ''},
  CAST(a.value AS DOUBLE) AS value, coalesce(a.n, 0) AS n, p.period_end <= CAST($as_of AS DATE) AS complete
FROM periods p${by ? ' CROSS JOIN (SELECT DISTINCT "group" FROM agg) g' : ''}
LEFT JOIN agg a ON a.period_start = p.period_start${by ? ' AND a."group" = g."group"' : ''}
ORDER BY p.period_start${by ? ', g."group"' : ''}`;
}

function derivedSql(
  d: Definition & { expression: string },
  options: SeriesOptions,
  resolve: Resolve,
  seen: Set<string>,
  params: Record<string, SqlValue>,
): string {
  const names = referencedMetrics(d.expression, resolve);
  if (!names.length) throw new Error(`derived metric ${d.name} references no metric`);
  const parts = names.map((name, i) => {
    const inner = resolve(name)!;
    if (seen.has(name)) throw new Error(`circular reference through ${name}`);
    const sql = isDerived(inner)
      ? derivedSql(inner, options, resolve, new Set([...seen, d.name]), params)
      : aggregateSql(inner, options, params);
    return { name, alias: `m${i}`, sql };
  });
  const keys = options.by ? ['period', 'group'] : ['period'];
  const first = parts[0]!;
  const select = parts
    .map(
      (p) =>
        `(SELECT ${keys.map(quoteIdent).join(', ')}, value AS ${quoteIdent(p.name)}, n AS ` +
        `${quoteIdent(`n__${p.name}`)}, complete AS ${quoteIdent(`c__${p.name}`)} FROM ${p.alias})`,
    )
    .map((src, i) => (i === 0 ? src : `JOIN ${src} USING (${keys.map(quoteIdent).join(', ')})`))
    .join('\n');
  return `WITH ${parts.map((p) => `${p.alias} AS (\n${p.sql}\n)`).join(',\n')}
SELECT ${keys.map(quoteIdent).join(', ')}, CAST((
${d.expression}
) AS DOUBLE) AS value, least(${parts.map((p) => quoteIdent(`n__${p.name}`)).join(', ')}) AS n,
  ${quoteIdent(`c__${first.name}`)} AS complete
FROM ${select}
ORDER BY ${keys.map(quoteIdent).join(', ')}`;
}

/** Metric names a derived expression mentions, in order of first mention (identifier tokens that name a metric). */
export function referencedMetrics(expression: string, resolve: Resolve): string[] {
  const tokens = expression.replace(/'[^']*'/g, ' ').match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  return [...new Set(tokens.filter((t) => resolve(t) !== undefined))];
}

/** SQL that binds (DESCRIBE) only one part of an aggregate definition, to type-check it. */
export function compileProbe(d: AggregateDefinition, part: 'measure' | 'filter'): CompiledQuery {
  const params: Record<string, SqlValue> = { from: '2000-01-01', to: '2000-01-31', as_of: '2000-01-31' };
  return {
    sql: aggregateSql(d, { grain: 'month', from: '2000-01-01', to: '2000-01-31', asOf: '2000-01-31' }, params, part),
    params,
  };
}
