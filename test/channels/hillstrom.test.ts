// Several campaigns at once, on a real randomized test: Kevin Hillstrom's MineThatData e-mail
// experiment (64,000 customers randomized to a men's e-mail, a women's e-mail or none; public data
// of the 2008 challenge, kept gzipped in test/fixtures for the tests only). Each campaign against the
// holdout is the randomized answer: visits 18.28% and 15.14% against 10.62%. "Not reached by the
// women's e-mail" also holds the men's e-mail customers, whose visits it raised: compared with them,
// the women's e-mail read +0.7 pts. Held as a covariate (other channels reached in the window), each
// arm is compared with the customers no campaign reached.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWorkspace } from '../helpers/workspace.ts';

const SOURCES = `timezone: UTC
sources:
  - name: shoppers
    table: customers
    files: hillstrom/hillstrom.csv.gz
    # The file's own "segment" column is the arm: the customers' segment is their spend band instead.
    columns: { customer_id: "'h-' || _line", signup_date: "'2008-03-01'", acquisition_channel: channel,
      segment: history_segment }
    keep: [recency, history, mens, womens, zip_code, newbie]
  - name: campaigns
    table: touchpoints
    # _line counts the header as line 1: the first customer is h-2.
    query: |
      SELECT * FROM (SELECT row_number() OVER () + 1 AS n, segment FROM 'hillstrom/hillstrom.csv.gz')
      WHERE segment <> 'No E-Mail'
    columns:
      customer_id: "'h-' || n"
      channel: "CASE segment WHEN 'Mens E-Mail' THEN 'email_mens' ELSE 'email_womens' END"
      occurred_at: "'2008-03-01 12:00:00'"
  - name: visits
    table: surveys
    files: hillstrom/hillstrom.csv.gz
    columns:
      response_id: "'h-' || _line"
      customer_id: "'h-' || _line"
      responded_at: "'2008-03-15 12:00:00'"
      kind: "'csat'"
      score: "CASE WHEN visit = '1' THEN '5' ELSE '1' END"
`;

// The randomized differences in visit rate, from the file's own counts.
const TRUTH = { email_mens: 0.18275684 - 0.10616728, email_womens: 0.15140038 - 0.10616728 };

const w = makeWorkspace();
afterAll(() => w.cleanup());

describe('a randomized three-arm e-mail test, through sources', () => {
  it('gives each arm its own randomized effect, not one diluted by the other arm', () => {
    mkdirSync(join(w.sources, 'hillstrom'));
    copyFileSync(resolve('test/fixtures/hillstrom/hillstrom.csv.gz'), join(w.sources, 'hillstrom', 'hillstrom.csv.gz'));
    w.write('sources/hillstrom.yaml', SOURCES);
    const sync = w.bearing('sync');
    expect(sync.status, sync.stderr).toBe(0);
    const r = w.bearing('channels', '--outcome', 'csat', '--window', '1', '--horizon', '14', '--json');
    expect(r.status, r.stderr).toBe(0);
    const answer = JSON.parse(r.stdout) as {
      covariates: Array<{ name: string; use: string; levels: number | null }>;
      channels: Array<{ channel: string; lift: number; ci: [number, number]; naive_lift: number }>;
    };
    expect(answer.covariates).toContainEqual({
      name: 'other channels reached',
      use: 'categorical',
      cuts: null,
      levels: 3,
    });
    for (const [channel, truth] of Object.entries(TRUTH)) {
      const row = answer.channels.find((c) => c.channel === channel)!;
      expect(row.ci[0], channel).toBeLessThan(truth);
      expect(row.ci[1], channel).toBeGreaterThan(truth);
      expect(Math.abs(row.lift - truth), channel).toBeLessThan(0.01);
    }
    // The naive comparison (reached against everyone else) is the diluted one.
    expect(answer.channels.find((c) => c.channel === 'email_womens')!.naive_lift).toBeLessThan(0.015);
  }, 180_000);
});
