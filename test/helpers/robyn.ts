// Meta Robyn's weekly demo file (MIT) and the sources file that maps it: spend per channel into
// `media` (unpivoted), revenue, competitor sales and events into `observations`. One copy for
// the sources, mix and browser tests; docs/mix.md shows the same file.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsDir } from './datasets.ts';

export const ROBYN_FILE = join(datasetsDir(), 'robyn', 'dt_simulated_weekly.csv');
export const ROBYN_CHANNELS = ['tv', 'ooh', 'print', 'facebook', 'search'];

export const ROBYN_SOURCES = `sources:
  - name: robyn_media
    table: media
    files: robyn/weekly.csv
    unpivot: { columns: [tv_S, ooh_S, print_S, facebook_S, search_S], name: channel, value: spend }
    columns: { date: DATE, channel: "lower(regexp_replace(channel, '_S$', ''))" }
  - name: robyn_kpis
    table: observations
    files: robyn/weekly.csv
    unpivot: { columns: [revenue, competitor_sales_B, events], name: name, value: value }
    columns: { date: DATE, value: "CASE WHEN name <> 'events' THEN value WHEN value = 'na' THEN '0' ELSE '1' END" }
`;

/** The weekly revenue KPI as a metric definition over observations. */
export const WEEKLY_REVENUE =
  'name: weekly_revenue\nlabel: Weekly revenue\ndescription: Weekly revenue.\nunit: currency\ndirection: up\n' +
  "table: observations\ntime: date\nfilter: name = 'revenue'\nmeasure: sum(value)\n";

/** Write the file and its sources file into a workspace's sources folder. */
export function writeRobynSources(sourcesDir: string): void {
  mkdirSync(join(sourcesDir, 'robyn'), { recursive: true });
  writeFileSync(join(sourcesDir, 'robyn', 'weekly.csv'), readFileSync(ROBYN_FILE));
  writeFileSync(join(sourcesDir, 'robyn.yaml'), ROBYN_SOURCES);
}
