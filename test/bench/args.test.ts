// The benches' command lines as a user types them: --help, a mistyped option, a bad value and a file
// that is not there each answer in a line or a page of text with the right exit code, never a stack.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.ts';

const run = (script: string, args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe("the benches' command lines", () => {
  it('npm run bench:forecast: --help, and each mistake named without a stack trace', () => {
    const help = run('bench/forecast.ts', ['--help']);
    expect(help.code).toBe(0);
    for (const option of ['--data', '--future', '--info', '--sample', '--back', '--only', '--out'])
      expect(help.out).toContain(option);
    const cases: Array<[string[], number, RegExp]> = [
      [['--bogus'], 2, /^error: Unknown option '--bogus'/],
      [['--sample', '0'], 2, /^error: --sample is "0" \(expected a whole number/],
      [['--back', '12,x'], 2, /^error: --back is "12,x"/],
      [['--only', 'bearing,prophet'], 2, /^error: --only names prophet \(the methods are bearing, theta/],
      [['--data', 'tourism', '--future', 'test.csv'], 2, /^error: --future and --info go with M4's own train file/],
    ];
    for (const [args, code, message] of cases) {
      const r = run('bench/forecast.ts', args);
      expect([r.code, r.err], args.join(' ')).toEqual([code, expect.stringMatching(message)]);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    const { dir, cleanup } = tempDir();
    try {
      const r = run('bench/forecast.ts', ['--data', join(dir, 'absent.csv'), '--out', join(dir, 'out.json')]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^error: ENOENT: no such file or directory, open '.*absent\.csv'/);
      expect(r.err).not.toMatch(/\n\s+at /);
      // Too short to score (20 months of history before the last 18): named, no table of NaN, nothing written.
      const rows = Array.from(
        { length: 38 },
        (_, i) => `A,${2001 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')},${i + 5}`,
      );
      writeFileSync(join(dir, 'short.csv'), `series,month,value\n${rows.join('\n')}\n`);
      const short = run('bench/forecast.ts', ['--data', join(dir, 'short.csv'), '--out', join(dir, 'out.json')]);
      expect([short.code, short.err]).toEqual([
        1,
        expect.stringMatching(
          /^error: short\.csv: no series to score\. Each needs 36 months .* the longest of its 1 series has 20 months /,
        ),
      ]);
      expect(short.out).not.toMatch(/NaN/);
      expect(existsSync(join(dir, 'out.json'))).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('npm run bench: --help, and a bad size named before any world is made', () => {
    const help = run('bench/run.ts', ['--help']);
    expect(help.code).toBe(0);
    for (const option of ['--max', '--import-max', '--runs', '--no-load', '--no-geo', '--out'])
      expect(help.out).toContain(option);
    const r = run('bench/run.ts', ['--max', '5k']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: --max is "5k" \(expected one of 10k, 100k, 1m\)/);
    const runs = run('bench/run.ts', ['--runs', 'three']);
    expect([runs.code, runs.err]).toEqual([
      2,
      expect.stringMatching(/^error: --runs is "three" \(expected a whole number/),
    ]);
  });
});
