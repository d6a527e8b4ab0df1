// The sample world's channels bought in aggregate: weekly spend on TV, podcasts and OOH, and the
// weekly revenue and loyalty-card signups of the shops (no customer is identified there) that
// they drive (signups: one per SIGNUP_COST of the revenue effect), with planted
// carry-over (geometric adstock) and saturation (Hill), a competitor index and holiday weeks as
// controls, and two lift tests. The media-mix model should find TV and podcasts and nothing in
// OOH. Written in SQL over the generator's seeded draws (macros u and nrm).
import type { Params, Session } from '../db.ts';

export interface MediaTruth {
  channel: string;
  theta: number;
  gamma: number;
  alpha: number;
  /** Weekly revenue at full saturation. */
  beta: number;
  /** Planted contribution over the weeks modelled, divided by spend. */
  roi: number;
  /** The same for the shops' weekly signups (signups per unit of spend). */
  signups_roi: number;
}

const MEDIA = [
  { channel: 'tv', theta: 0.6, gamma: 1, alpha: 2, beta: 180_000, level: 60_000, on: 0.6 },
  { channel: 'podcasts', theta: 0.2, gamma: 0.5, alpha: 1, beta: 40_000, level: 15_000, on: 1 },
  { channel: 'ooh', theta: 0.4, gamma: 1, alpha: 1, beta: 0, level: 25_000, on: 0.8 },
];

export const STORE_KPI = 'store_revenue';
export const SIGNUPS_KPI = 'store_signups';
/** Revenue effect per planted signup: the channels move signups by effect / SIGNUP_COST. */
const SIGNUP_COST = 150;

const STEPS = [
  `CREATE OR REPLACE TEMP TABLE gen_media_ch AS SELECT * FROM (VALUES ${MEDIA.map(
    (m, i) => `(${i}, '${m.channel}', ${m.theta}, ${m.gamma}, ${m.alpha}, ${m.beta}, ${m.level}, ${m.on})`,
  ).join(', ')}) t(idx, channel, theta, gamma, alpha, beta, level, "on")`,
  // Complete weeks (Monday to Sunday) inside the world's dates.
  `CREATE OR REPLACE TEMP TABLE gen_weeks AS
    SELECT row_number() OVER (ORDER BY w) - 1 AS t, CAST(w AS DATE) AS week
    FROM range(date_trunc('week', CAST($start AS DATE) + 6), CAST($end AS DATE) - 5, INTERVAL 7 DAY) r(w)`,
  `CREATE OR REPLACE TEMP TABLE gen_spend AS
    SELECT c.idx, c.channel, w.t, w.week,
      CASE WHEN u($seed, w.t, c.idx, 'media_on') < c."on" THEN c.level * exp(0.5 * nrm($seed, w.t, c.idx, 'media'))
        ELSE 0 END AS spend
    FROM gen_media_ch c CROSS JOIN gen_weeks w`,
  // adstock_t = Σ_{j ≤ t} θ^(t − j) · spend_j; K = γ × mean adstock over weeks with any.
  `CREATE OR REPLACE TEMP TABLE gen_adstock AS
    SELECT a.idx, a.t, sum(b.spend * pow(c.theta, a.t - b.t)) AS adstock
    FROM gen_spend a JOIN gen_spend b ON b.idx = a.idx AND b.t <= a.t JOIN gen_media_ch c ON c.idx = a.idx
    GROUP BY ALL`,
  `CREATE OR REPLACE TEMP TABLE gen_effect AS
    WITH k AS (SELECT a.idx, c.gamma * avg(a.adstock) FILTER (WHERE a.adstock > 0) AS k
               FROM gen_adstock a JOIN gen_media_ch c USING (idx) GROUP BY a.idx, c.gamma)
    SELECT a.idx, a.t, c.beta * CASE WHEN a.adstock <= 0 THEN 0
      ELSE pow(a.adstock, c.alpha) / (pow(a.adstock, c.alpha) + pow(k.k, c.alpha)) END AS effect
    FROM gen_adstock a JOIN gen_media_ch c USING (idx) JOIN k USING (idx)`,
  `CREATE OR REPLACE TEMP TABLE gen_controls AS
    SELECT w.t, w.week,
      sum(nrm($seed, w.t, 0, 'competitor')) OVER (ORDER BY w.t) AS competitor,
      CASE WHEN (month(w.week) = 12 AND day(w.week) BETWEEN 16 AND 24) OR (month(w.week) = 11 AND day(w.week) >= 22)
        THEN 1 ELSE 0 END AS holiday
    FROM gen_weeks w`,
  `INSERT INTO media (channel, date, spend) SELECT channel, week, round(spend, 2) FROM gen_spend`,
  `INSERT INTO observations (name, date, value)
    SELECT '${STORE_KPI}', c.week, round(400000 + 1000 * c.t + 60000 * sin(2 * pi() * c.t / 52.18)
      - 8000 * c.competitor + 50000 * c.holiday + coalesce(e.effect, 0) + 15000 * nrm($seed, c.t, 0, 'store'), 2)
    FROM gen_controls c LEFT JOIN (SELECT t, sum(effect) AS effect FROM gen_effect GROUP BY t) e USING (t)
    UNION ALL SELECT '${SIGNUPS_KPI}', c.week, round(greatest(0, 1500 + 2 * c.t + 150 * sin(2 * pi() * c.t / 52.18)
      - 20 * c.competitor + 200 * c.holiday + coalesce(e.effect, 0) / ${SIGNUP_COST}
      + 40 * nrm($seed, c.t, 0, 'signups')))
    FROM gen_controls c LEFT JOIN (SELECT t, sum(effect) AS effect FROM gen_effect GROUP BY t) e USING (t)
    UNION ALL SELECT 'competitor_index', week, round(competitor, 4) FROM gen_controls
    UNION ALL SELECT 'holiday', week, holiday FROM gen_controls`,
  // Two geo lift tests: what the channel added over eight weeks, read 5% high (TV) and 5% low
  // (podcasts), each with a 10% standard error.
  `INSERT INTO experiments (experiment_id, channel, start, "end", metric, lift, lift_se, spend, notes)
    SELECT printf('geo-%s-%d', c.channel, x.first), c.channel, w1.week, w2.week + 6, '${STORE_KPI}',
      round(sum(e.effect) * x.read, 0), round(0.1 * sum(e.effect), 0), round(sum(s.spend), 0),
      'geo holdout (sample world)'
    FROM (VALUES ('tv', 60, 1.05), ('podcasts', 100, 0.95)) x(channel, first, read)
    JOIN gen_media_ch c ON c.channel = x.channel
    JOIN gen_effect e ON e.idx = c.idx AND e.t BETWEEN x.first AND x.first + 7
    JOIN gen_spend s ON s.idx = c.idx AND s.t = e.t
    JOIN gen_weeks w1 ON w1.t = x.first JOIN gen_weeks w2 ON w2.t = x.first + 7
    GROUP BY c.channel, c.idx, x.first, x.read, w1.week, w2.week`,
];

export async function plantMedia(s: Session, params: Params): Promise<MediaTruth[]> {
  for (const sql of STEPS) await s.run(sql, params);
  const roi = await s.all<{ channel: string; roi: number }>(
    `SELECT c.channel, sum(e.effect) / sum(s.spend) AS roi FROM gen_media_ch c
     JOIN gen_effect e ON e.idx = c.idx JOIN gen_spend s ON s.idx = e.idx AND s.t = e.t GROUP BY c.channel`,
  );
  for (const t of ['gen_media_ch', 'gen_weeks', 'gen_spend', 'gen_adstock', 'gen_effect', 'gen_controls'])
    await s.run(`DROP TABLE IF EXISTS ${t}`);
  return MEDIA.map(({ level: _l, on: _o, ...m }) => {
    const planted = roi.find((r) => r.channel === m.channel)!.roi;
    return { ...m, roi: planted, signups_roi: planted / SIGNUP_COST };
  });
}
