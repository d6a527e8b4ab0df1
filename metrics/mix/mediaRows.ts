// The spend both mix fits read: per channel and period (and per geo for the geo model), from
// WARM_UP periods before the first modelled one, whose carry-over reaches the first periods
// (`back` counts how many periods before the first a row lies; 0 or less inside the range).
import type { Database } from '../../data/db.ts';
import { WARM_UP } from './request.ts';

// A type alias (not an interface) so it satisfies the database's row type.
export type MediaRow = {
  geo: string | null;
  channel: string;
  period: string;
  spend: number;
  impressions: number | null;
  back: number;
};

/**
 * Where a row before the first modelled period goes in a WARM_UP-long array (oldest first), or null
 * when it lies inside the modelled periods or further back.
 */
export const warmSlot = (row: MediaRow): number | null => {
  const back = Number(row.back);
  return back >= 1 && back <= WARM_UP ? WARM_UP - back : null;
};

export function mediaRows(
  db: Database,
  bucket: string,
  grain: 'week' | 'day',
  range: { from: string; to: string },
  byGeo: boolean,
): Promise<MediaRow[]> {
  return db.all<MediaRow>(
    `SELECT ${byGeo ? 'geo' : 'NULL::VARCHAR AS geo'}, channel, ${bucket} AS period, sum(spend) AS spend,
       CASE WHEN count(impressions) = count(*) THEN sum(impressions) END AS impressions,
       date_diff('${grain}', CAST(${bucket} AS DATE), CAST($from AS DATE)) AS back
     FROM media
     WHERE ${byGeo ? 'geo IS NOT NULL AND ' : ''}date >= CAST($from AS DATE) - INTERVAL ${WARM_UP} ${grain}
       AND date < CAST($to AS DATE) + INTERVAL 1 ${grain}
     GROUP BY ALL ORDER BY channel, period`,
    range,
  );
}
