// Lift tests edited one at a time (the app's experiments list), beside importing them as a table:
// the same contract rules, written in one transaction that moves the data version on, so every
// mix model that read them is computed again.
import type { Database } from './db.ts';
import { BearingError } from './errors.ts';
import { refreshMeta } from './schema.ts';

export interface Experiment {
  experiment_id: string;
  channel: string;
  start: string;
  end: string;
  metric: string;
  lift: number;
  lift_se: number;
  spend: number | null;
  notes: string | null;
}

const COLUMNS = `experiment_id, channel, strftime(start, '%Y-%m-%d') AS start, strftime("end", '%Y-%m-%d') AS "end",
  metric, lift, lift_se, spend, notes`;

export function listExperiments(db: Database): Promise<Experiment[]> {
  return db.all<Experiment & Record<string, string | number | null>>(
    `SELECT ${COLUMNS} FROM experiments ORDER BY start, experiment_id`,
  );
}

/** Insert or replace one experiment by its id. */
export async function saveExperiment(db: Database, e: Experiment): Promise<Experiment> {
  const channel = e.channel.trim().toLowerCase();
  if (!channel) throw new BearingError('invalid-request', 'channel: expected a channel name');
  if (e.end < e.start) throw new BearingError('invalid-request', `end: expected a date on or after start (${e.start})`);
  return db.write(async (s) => {
    await s.run(`DELETE FROM experiments WHERE experiment_id = $id`, { id: e.experiment_id });
    const row = await s.one<Experiment & Record<string, string | number | null>>(
      `INSERT INTO experiments (experiment_id, channel, start, "end", metric, lift, lift_se, spend, notes)
       VALUES ($id, $channel, CAST($start AS DATE), CAST($end AS DATE), $metric, $lift, $se, $spend, $notes)
       RETURNING ${COLUMNS}`,
      {
        id: e.experiment_id,
        channel,
        start: e.start,
        end: e.end,
        metric: e.metric,
        lift: e.lift,
        se: e.lift_se,
        spend: e.spend,
        notes: e.notes,
      },
    );
    await refreshMeta(s, { touched: ['experiments'] });
    return row!;
  });
}

export async function deleteExperiment(db: Database, id: string): Promise<void> {
  await db.write(async (s) => {
    const row = await s.one(`DELETE FROM experiments WHERE experiment_id = $id RETURNING experiment_id`, { id });
    if (!row) throw new BearingError('unknown-experiment', `no experiment "${id}"`);
    await refreshMeta(s, { touched: ['experiments'] });
  });
}
