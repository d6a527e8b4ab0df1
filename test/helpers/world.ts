// A tiny hand-made world whose metric values are computed by hand in test/metrics/shipped.test.ts.
import type { Database } from '../../data/db.ts';
import { importFiles } from '../../data/import/index.ts';
import { writeCsv } from './tmp.ts';

export async function loadTinyWorld(db: Database, dir: string): Promise<void> {
  const files = [
    writeCsv(
      dir,
      'customers.csv',
      ['customer_id', 'signup_date', 'churn_date', 'segment', 'region', 'acquisition_channel'],
      [
        ['a', '2025-01-10', null, 'smb', 'na', 'social'],
        ['b', '2025-01-20', '2025-03-01', 'smb', 'emea', 'email'],
        ['c', '2025-02-05', '2025-06-15', 'enterprise', 'na', 'events'],
        ['d', '2025-02-10', '2025-02-20', 'smb', 'na', 'email'],
      ],
    ),
    writeCsv(
      dir,
      'surveys.csv',
      ['response_id', 'customer_id', 'responded_at', 'kind', 'score'],
      [
        ['s1', 'a', '2025-03-05', 'nps', '10'],
        ['s2', 'b', '2025-03-10', 'nps', '5'],
        ['s3', 'c', '2025-03-12', 'nps', '8'],
        ['s4', 'a', '2025-03-20', 'csat', '5'],
        ['s5', 'c', '2025-03-21', 'csat', '3'],
        ['s6', 'c', '2025-04-02', 'nps', '9'],
      ],
    ),
    writeCsv(
      dir,
      'orders.csv',
      ['order_id', 'customer_id', 'ordered_at', 'amount'],
      [
        ['o1', 'a', '2025-02-01', '100'],
        ['o2', 'a', '2025-03-01', '50'],
        ['o3', 'c', '2025-03-15', '30'],
        ['o4', 'a', '2025-07-31', '20'],
      ],
    ),
    writeCsv(
      dir,
      'touchpoints.csv',
      ['customer_id', 'channel', 'activity', 'occurred_at'],
      [
        ['a', 'social', 'like', '2025-03-03T09:00:00Z'],
        ['c', 'social', 'comment', '2025-02-28T23:00:00Z'],
        ['b', 'email', 'open', '2025-03-04'],
      ],
    ),
  ];
  // Every export of this world is complete through July: declared, since no table's own latest date says so.
  await importFiles(
    db,
    files.map((path) => ({ path })),
    { completeThrough: '2025-07-31' },
  );
}
