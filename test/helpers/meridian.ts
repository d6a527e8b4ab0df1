// Google Meridian's simulated 40-geo file (Apache 2.0, test/fixtures/meridian) and the sources
// file that maps it: spend and impressions per geo and channel into `media`, revenue
// (conversions × revenue per conversion), population and the two controls into `observations`,
// each row with its geo. Meridian's published 90% ROI intervals on the same file beside it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MERIDIAN_FILE = join(import.meta.dirname, '..', 'fixtures', 'meridian', 'geo_all_channels.csv');

/** Meridian's own ROI 90% intervals (demo/ROI_mROI_Response_Curves.ipynb). */
export const MERIDIAN_ROI: Record<string, [number, number]> = {
  channel0: [0.431896, 3.155697],
  channel1: [0.261797, 1.977477],
  channel2: [0.54367, 2.552366],
  channel3: [0.297994, 1.710027],
  channel4: [0.405906, 3.291715],
};

const channel = (c: number) =>
  `SELECT geo, CAST(time AS DATE) AS date, 'channel${c}' AS channel, Channel${c}_spend AS spend, ` +
  `Channel${c}_impression AS impressions FROM 'meridian/geo.csv'`;
const observed = (name: string, expr: string) =>
  `SELECT geo, CAST(time AS DATE) AS date, '${name}' AS name, ${expr} AS value FROM 'meridian/geo.csv'`;

export const MERIDIAN_SOURCES = `sources:
  - name: meridian_media
    table: media
    query: |
${[0, 1, 2, 3, 4].map((c) => `      ${channel(c)}`).join('\n      UNION ALL\n')}
  - name: meridian_observations
    table: observations
    query: |
${[
  observed('revenue', 'conversions * revenue_per_conversion'),
  observed('population', 'population'),
  observed('competitor_sales_control', 'competitor_sales_control'),
  observed('sentiment_score_control', 'sentiment_score_control'),
]
  .map((q) => `      ${q}`)
  .join('\n      UNION ALL\n')}
`;

/** Weekly revenue per geo: a metric over observations that can be split by geo. */
export const GEO_REVENUE =
  'name: geo_revenue\nlabel: Revenue\ndescription: Weekly revenue, by geo.\nunit: currency\ndirection: up\n' +
  "table: observations\ntime: date\nfilter: name = 'revenue'\nmeasure: sum(value)\ndimensions: [geo]\n";

export function writeMeridianSources(sourcesDir: string): void {
  mkdirSync(join(sourcesDir, 'meridian'), { recursive: true });
  writeFileSync(join(sourcesDir, 'meridian', 'geo.csv'), readFileSync(MERIDIAN_FILE));
  writeFileSync(join(sourcesDir, 'meridian.yaml'), MERIDIAN_SOURCES);
}
