// A kept column's declared type decides how the channel comparison reads it: a zip code is digits
// but a place (its values, not quantiles), a score with a stray "n/a" is still a number (the "n/a"
// missing). Without a declaration, a column whose every value parses is numeric. Through the real
// binary: sources with keep: [{ column, type }], bearing sync, bearing channels --json.
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../metrics/heading/random.ts';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace.ts';

const ZIPS = ['10001', '10002', '20001', '30301', '60601', '73301', '80202', '94105', '94107', '98101'];

function files(w: TestWorkspace): void {
  const rand = mulberry32(11);
  const customers = ['customer_id,signup_date,zip,score'];
  const touches = ['customer_id,channel,occurred_at'];
  const orders = ['order_id,customer_id,ordered_at,amount'];
  for (let i = 0; i < 400; i++) {
    const day = new Date(Date.UTC(2025, 0, 1 + Math.floor(rand() * 120))).toISOString().slice(0, 10);
    const score = i % 25 === 0 ? 'n/a' : (rand() * 10).toFixed(1);
    customers.push(`c${i},${day},${ZIPS[i % ZIPS.length]},${score}`);
    if (rand() < 0.5) touches.push(`c${i},email,${day} 12:00:00`);
    orders.push(`o${i},c${i},${day} 18:00:00,${(20 + rand() * 50).toFixed(2)}`);
  }
  w.write('sources/data/customers.csv', `${customers.join('\n')}\n`);
  w.write('sources/data/touchpoints.csv', `${touches.join('\n')}\n`);
  w.write('sources/data/orders.csv', `${orders.join('\n')}\n`);
}

const sources = (keep: string) =>
  'sources:\n' +
  `  - { name: people, table: customers, files: data/customers.csv, keep: ${keep} }\n` +
  '  - { name: touches, table: touchpoints, files: data/touchpoints.csv }\n' +
  '  - { name: orders, table: orders, files: data/orders.csv }\n';

type Use = { name: string; use: 'numeric' | 'categorical'; levels: number | null };

describe('kept columns with a declared type', () => {
  const w = makeWorkspace();
  afterAll(() => w.cleanup());

  const uses = (keep: string): Record<string, Use> => {
    w.write('sources/people.yaml', sources(keep));
    const sync = w.bearing('sync');
    expect(sync.status, sync.stderr).toBe(0);
    const r = w.bearing('channels', '--outcome', 'revenue', '--window', '7', '--horizon', '30', '--json');
    expect(r.status, r.stderr).toBe(0);
    const answer = JSON.parse(r.stdout) as { covariate_use: Use[] };
    return Object.fromEntries(answer.covariate_use.map((u) => [u.name, u]));
  };

  it('reads a declared text column by its values and a declared number with a stray word as a number', () => {
    files(w);
    const declared = uses('[{ column: zip, type: text }, { column: score, type: number }]');
    expect(declared.zip).toMatchObject({ use: 'categorical', levels: ZIPS.length });
    expect(declared.score!.use).toBe('numeric');
    // Undeclared, the zip codes parse as numbers and are cut at quantiles; the score's "n/a" makes it text.
    const guessed = uses('[zip, score]');
    expect(guessed.zip!.use).toBe('numeric');
    expect(guessed.score!.use).toBe('categorical');
  }, 120_000);

  it('names a bad type at its field', () => {
    w.write('sources/people.yaml', sources('[{ column: zip, type: place }]'));
    const r = w.bearing('sources', 'check');
    expect(r.status).toBe(1);
    expect(`${r.stdout}${r.stderr}`).toMatch(/people\.yaml:2:\d+: .*keep/);
  });
});
