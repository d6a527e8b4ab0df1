// The SQL behind the channel comparison: landmark cohorts, each customer's outcome and
// pre-exposure facts, and who each channel reached, grouped by channel, cross-fitting fold,
// covariate pattern and arm, so a million customers arrive as a few thousand rows.
import { quoteIdent } from '../../data/db.ts';
import type { KeptType } from '../../data/import/report.ts';

/** Declared types of the kept customer columns (sources' keep: [{ column, type }]). */
export type KeptTypes = Record<string, KeptType>;

export const OUTCOMES = ['retention', 'nps', 'csat', 'revenue'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Cross-fitting folds: each customer's by a hash of their id, the same on every run. */
export const FOLDS = 5;
/** Levels an extra customer attribute keeps (the most common; the rest are 'other'). */
export const ATTRIBUTE_LEVELS = 20;
/** A pattern's count of channels reached in the window stops here (3 = three or more). */
export const REACH_CAP = 3;
/** Separates the fields of a covariate pattern. */
export const SEP = '\u001f';
/** The pattern's fields, in order, before any extra attributes. */
export const BASE_COVARIATES = ['segment', 'region', 'acquisition channel', 'signup month', 'prior activity'];

// Per-customer outcome, counted from the landmark (signup + window) over the horizon. Survey
// outcomes average a customer's own responses, so each customer counts once; NULL when they
// gave none (a non-responder).
const LANDMARK = 'c.signup_date + to_days(CAST($window AS INTEGER))';
const HORIZON_END = 'c.signup_date + to_days(CAST($window + $horizon AS INTEGER))';
/** A customer's own rows of a table, dated between their landmark and the end of their horizon. */
const inHorizon = (column: string) => `${column} >= ${LANDMARK} AND ${column} < ${HORIZON_END}`;
const surveyAverage = (kind: 'nps' | 'csat', score: string) =>
  `(SELECT avg(${score}) FROM surveys s
    WHERE s.kind = '${kind}' AND s.customer_id = c.customer_id AND ${inHorizon('s.responded_at')})`;

const OUTCOME_SQL: Record<Outcome, string> = {
  retention: `CASE WHEN c.churn_date IS NULL OR c.churn_date >= ${HORIZON_END} THEN 1.0 ELSE 0.0 END`,
  revenue: `coalesce((SELECT sum(o.amount) FROM orders o
    WHERE o.customer_id = c.customer_id AND ${inHorizon('o.ordered_at')}), 0)`,
  nps: surveyAverage('nps', 'CASE WHEN s.score >= 9 THEN 100.0 WHEN s.score <= 6 THEN -100.0 ELSE 0.0 END'),
  csat: surveyAverage('csat', 'CASE WHEN s.score >= 4 THEN 1.0 ELSE 0.0 END'),
};

/** Customers whose window and horizon are complete by the as-of date, alive at the landmark. */
export const COHORT_WHERE = `($from IS NULL OR c.signup_date >= CAST($from AS DATE))
    AND ($to IS NULL OR c.signup_date <= CAST($to AS DATE))
    -- landmark: alive at day window, so staying longer earns no credit for touches
    AND (c.churn_date IS NULL OR c.churn_date >= c.signup_date + to_days(CAST($window AS INTEGER)))
    -- the horizon (days window … window + horizon − 1) must be complete by the as-of date
    AND c.signup_date + to_days(CAST($window + $horizon - 1 AS INTEGER)) <= CAST($as_of AS DATE)`;

/** Quantile bins of a numeric attribute: more with more customers, never fewer than 4. */
export const binsFor = (customers: number) => (customers < 500 ? 4 : customers < 2000 ? 6 : 10);

/**
 * An extra attribute. A column whose every value reads as a number (earnings, age, a count) and
 * that has more distinct values than bins is cut at its quantiles among the customers (ties stay
 * together: 46% zero earnings are one bin), so "17–20" and "49–55" are never pooled; missing values
 * are a level of their own. Any other column (a 0/1 flag, a plan name) keeps its ATTRIBUTE_LEVELS
 * most common values, the rest pooled as 'other'. Identifiers come from the catalog.
 */
function attributeSql(name: string, i: number, type?: KeptType): { cte: string; value: string } {
  const column = quoteIdent(name);
  const number = `try_cast(c.${column} AS DOUBLE)`;
  // A declared type decides; without one, a column whose every value parses is read as numbers.
  const numbers =
    type === 'number'
      ? 'true'
      : type === 'text'
        ? 'false'
        : `count(${column}) > 0 AND count(${column}) = count(try_cast(${column} AS DOUBLE))`;
  return {
    cte: `top_${i} AS (SELECT ${column} AS v FROM customers WHERE ${column} IS NOT NULL GROUP BY 1
      ORDER BY count(*) DESC, 1 LIMIT ${ATTRIBUTE_LEVELS}),
    num_${i} AS (SELECT ${numbers} AS numbers,
        numbers AND count(DISTINCT try_cast(${column} AS DOUBLE)) > $bins_${i} AS numeric,
      list_sort(list_distinct(quantile_cont(try_cast(${column} AS DOUBLE),
        [k / $bins_${i} FOR k IN range(1, CAST($bins_${i} AS INTEGER))]))) AS cuts
      FROM customers),`,
    // Numbers compare as numbers: "1" and "1.0000000e+000" (two exports of one flag) are one level.
    // Declared numbers: a value that does not read as one is missing, not a level of its own.
    value: `CASE WHEN c.${column} IS NULL${type === 'number' ? ` OR ${number} IS NULL` : ''} THEN '?'
      WHEN (SELECT numeric FROM num_${i}) THEN 'q' || lpad(CAST(len(list_filter((SELECT cuts FROM num_${i}),
        q -> q < ${number})) AS VARCHAR), 2, '0')
      WHEN (SELECT numbers FROM num_${i}) THEN CAST(${number} AS VARCHAR)
      WHEN c.${column} IN (SELECT v FROM top_${i}) THEN c.${column}
      ELSE 'other' END`,
  };
}

/** How each extra attribute enters the models: (name, numeric, cuts), one row per attribute. */
export function attributeUseSql(attributes: readonly string[], types: KeptTypes = {}): string {
  return attributes
    .map((name, i) => {
      const { cte } = attributeSql(name, i, types[name]);
      return `(WITH ${cte.replace(/,\s*$/, '')} SELECT '${name.replaceAll("'", "''")}' AS name, numeric,
        CASE WHEN numeric THEN cuts END AS cuts,
        CASE WHEN numbers THEN (SELECT count(DISTINCT try_cast(v AS DOUBLE)) FROM top_${i})
          ELSE (SELECT count(*) FROM top_${i}) END AS levels FROM num_${i})`;
    })
    .join('\nUNION ALL\n');
}

/**
 * Rows of (channel, fold, pattern, early, late, n, responders, sy, syy, sz, szz): everyone per
 * fold and pattern (channel NULL); per channel, the customers touched on it in days [0, $start)
 * after signup (early) or in [$start, $window) (late), with their outcome y and their placebo z
 * (orders and touches on any channel in days [0, $start)); and one row naming each channel
 * (pattern NULL). Reached = early or late. The placebo compares late against never, leaving the
 * early out: their z comes before any exposure it is compared on. Extra customer attributes join
 * the pattern.
 */
export function cellsSql(outcome: Outcome, attributes: readonly string[] = [], types: KeptTypes = {}): string {
  const extra = attributes.map((name, i) => attributeSql(name, i, types[name]));
  const ctes = extra.map((a) => `${a.cte}\n`).join('');
  const start = 'm.signup_date + to_days(CAST($start AS INTEGER))';
  return `WITH ${ctes}cohort AS (
  SELECT c.customer_id, c.signup_date, CAST(hash(c.customer_id) % ${FOLDS} AS INTEGER) AS fold,
    concat_ws('${SEP}', coalesce(c.segment, '?'), coalesce(c.region, '?'), coalesce(c.acquisition_channel, '?'),
      strftime(c.signup_date, '%Y-%m')) AS facts,
    ${extra.map((a, i) => `${a.value} AS a${i},`).join('\n    ')}
    ${OUTCOME_SQL[outcome]} AS y
  FROM customers c
  WHERE ${COHORT_WHERE}
), exposure AS (
  SELECT t.customer_id, t.channel,
    count(*) FILTER (WHERE t.occurred_at < m.signup_date) AS prior,
    count(*) FILTER (WHERE t.occurred_at >= m.signup_date AND t.occurred_at < ${start}) AS early,
    count(*) FILTER (WHERE t.occurred_at >= ${start}) AS late
  FROM touchpoints t JOIN cohort m ON m.customer_id = t.customer_id
  WHERE t.occurred_at < m.signup_date + to_days(CAST($window AS INTEGER))
  GROUP BY ALL
), activity AS (
  SELECT customer_id, sum(prior) AS prior, sum(early) AS early,
    -- channels that reached the customer in the window (the others are held as covariates)
    count(*) FILTER (WHERE early > 0 OR late > 0) AS reached_channels
  FROM exposure GROUP BY 1
), early_orders AS (
  SELECT m.customer_id, count(*) AS k FROM orders o JOIN cohort m ON m.customer_id = o.customer_id
  WHERE o.ordered_at >= m.signup_date AND o.ordered_at < ${start} GROUP BY 1
), measured AS (
  SELECT m.customer_id, m.fold, m.y, CAST(coalesce(a.early, 0) + coalesce(o.k, 0) AS DOUBLE) AS z,
    -- activity before signup, where the data holds any
    concat_ws('${SEP}', m.facts, CASE WHEN a.prior IS NULL OR a.prior = 0 THEN '0' WHEN a.prior = 1 THEN '1'
      WHEN a.prior < 5 THEN '2-4' ELSE '5+' END${extra.map((_, i) => `, m.a${i}`).join('')},
      -- last: how many channels reached them in the window, 0–2 and 3 for 3 or more (see patterns.ts)
      CAST(least(coalesce(a.reached_channels, 0), ${REACH_CAP}) AS VARCHAR)) AS pattern
  FROM cohort m LEFT JOIN activity a ON a.customer_id = m.customer_id
  LEFT JOIN early_orders o ON o.customer_id = m.customer_id
), reached AS (
  SELECT e.channel, m.fold, m.pattern, e.early > 0 AS early, e.late > 0 AS late, m.y, m.z
  FROM exposure e JOIN measured m ON m.customer_id = e.customer_id WHERE e.early > 0 OR e.late > 0
)
-- Everyone per fold and pattern, then the reached per channel: the not-reached are the
-- difference (a cross join of channels and customers cost three times as much at 1M).
SELECT NULL AS channel, fold, pattern, NULL AS early, NULL AS late,
  CAST(count(*) AS INTEGER) AS n, CAST(count(y) AS INTEGER) AS responders,
  coalesce(sum(y), 0) AS sy, coalesce(sum(y * y), 0) AS syy, sum(z) AS sz, sum(z * z) AS szz
FROM measured GROUP BY ALL
UNION ALL
SELECT channel, fold, pattern, early, late,
  CAST(count(*) AS INTEGER) AS n, CAST(count(y) AS INTEGER) AS responders,
  coalesce(sum(y), 0) AS sy, coalesce(sum(y * y), 0) AS syy, sum(z) AS sz, sum(z * z) AS szz
FROM reached GROUP BY ALL
UNION ALL
-- every channel, reached or not (a channel with spend and nobody reached still gets its row)
SELECT channel, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0
FROM (SELECT DISTINCT channel FROM touchpoints UNION SELECT DISTINCT channel FROM spend)
-- A fixed order, so every sum is taken in the same order on every run.
ORDER BY channel NULLS FIRST, fold, pattern, early, late`;
}

/**
 * Survey outcomes: each arm's answers as (channel, y, n): everyone who answered (channel NULL), and
 * per channel those it reached in the window. The not-reached are the difference. For the trimming
 * bounds (lee.ts), which need each arm's distribution, not only its sums.
 */
export function answersSql(outcome: 'nps' | 'csat'): string {
  return `WITH cohort AS (
  SELECT c.customer_id, c.signup_date, ${OUTCOME_SQL[outcome]} AS y
  FROM customers c WHERE ${COHORT_WHERE}
), reached AS (
  SELECT DISTINCT t.channel, m.customer_id, m.y FROM touchpoints t JOIN cohort m ON m.customer_id = t.customer_id
  WHERE t.occurred_at >= m.signup_date AND t.occurred_at < m.signup_date + to_days(CAST($window AS INTEGER))
)
SELECT NULL AS channel, y, CAST(count(*) AS INTEGER) AS n FROM cohort WHERE y IS NOT NULL GROUP BY y
UNION ALL
SELECT channel, y, CAST(count(*) AS INTEGER) AS n FROM reached WHERE y IS NOT NULL GROUP BY channel, y
ORDER BY channel NULLS FIRST, y`;
}

export const COHORT_SQL = `SELECT count(*) AS customers,
  strftime(date_trunc('month', min(signup_date)), '%Y-%m-%d') AS first_month,
  strftime(date_trunc('month', max(signup_date) + to_days(CAST($window AS INTEGER) - 1)), '%Y-%m-%d') AS last_month
FROM customers c
WHERE ${COHORT_WHERE}`;
