// The plain `number` unit: a per-customer rate reads 0.37, not 36.6%, in the sentences the server
// writes and in the web app's formats; a definition with it checks.
import { describe, expect, it } from 'vitest';
import { formatRate, formatValue } from '../../metrics/words/current.ts';
import { formatChange, formatDelta, formatTick, formatValue as webValue } from '../../web/src/lib/format.ts';
import { startTestServer } from '../helpers/server.ts';

describe('the number unit', () => {
  it('is written as a plain number everywhere, never as a percent', () => {
    expect(formatValue('number', 0.366)).toBe('0.37');
    expect(formatValue('number', 1234.4)).toBe('1,234');
    expect(formatRate('number', 0.012)).toBe('+0.012');
    expect(webValue('number', 0.366)).toBe('0.37');
    expect(formatTick('number', 0.35)).toBe('0.35');
    expect(formatChange('number', 0.36, 0.38)).toBe('+0.02');
    for (const text of [formatValue('number', 0.366), webValue('number', 0.366)]) expect(text).not.toMatch(/%/);
  });

  it('checks in a definition', async () => {
    const s = await startTestServer();
    try {
      const yaml =
        'name: orders_per_customer\nlabel: Orders per customer\ndescription: d\nunit: number\ndirection: up\n' +
        'table: orders\ntime: ordered_at\nmeasure: count(*) / count(DISTINCT customer_id)\n';
      const res = await s.call('POST', '/api/metrics/check', { role: 'analyst', body: { yaml } });
      expect(res.body).toEqual({ ok: true, problems: [] });
    } finally {
      await s.close();
    }
  });
});

describe('a signed difference in the unit’s words', () => {
  it('never reads a small move as zero, and keeps points for shares and scores', () => {
    expect(formatDelta('score', 0.0346)).toBe('+0.035 pts');
    expect(formatDelta('ratio', -0.0004)).toBe('−0.040 pts');
    expect(formatDelta('ratio', 0.031)).toBe('+3.1 pts');
    expect(formatDelta('score', 0)).toBe('0 pts');
    expect(formatDelta('count', -1234)).toBe('−1,234');
  });
});

describe('money in the sentences', () => {
  it('carries the workspace currency, and only while that goal is read', async () => {
    const { assessGoal } = await import('../../metrics/heading/assess.ts');
    const history = Array.from({ length: 18 }, (_, i) => ({
      period: `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`,
      value: 140 + i,
      n: 1000,
    }));
    const goal = { target: 200, due: '2027-06-30', direction: 'up' as const, unit: 'currency' as const };
    const brl = assessGoal({ ...goal, currency: 'BRL' }, history, '2026-06-30');
    expect(brl.reading).toMatch(/likely to reach R\$200 by Jun 2027; could land R\$[\d,]+–R\$[\d,]+/);
    expect(brl.reading).toMatch(/Needs \+\u2060R\$[\d.]+ a month/);
    // Without one (and after that goal), plain numbers as before.
    expect(assessGoal(goal, history, '2026-06-30').reading).toMatch(/likely to reach 200 by Jun 2027; could land \d/);
  });
});

describe('one set of unit words for the server, the CLI and the web app', () => {
  const cases: Array<[string, number]> = [
    ['ratio', 0.934],
    ['ratio', -0.0004],
    ['percent', 12],
    ['score', -41.25],
    ['currency', 1204.4],
    ['currency', 12.5],
    ['count', 1234],
    ['count', 7.5],
    ['days', 12.25],
    ['number', 0.366],
  ];

  it('writes every unit the same in a reading and on a page, with the same minus sign', async () => {
    const { withCurrency } = await import('../../metrics/words/current.ts');
    const { setCurrency, formatDelta: webDelta } = await import('../../web/src/lib/format.ts');
    setCurrency('USD');
    withCurrency('USD', () => {
      for (const [unit, v] of cases) {
        expect(webValue(unit, v), `${unit} ${v}`).toBe(formatValue(unit as never, v));
        expect(webDelta(unit, v), `${unit} ${v}`).toBe(formatRate(unit as never, v));
      }
      // What each reads, written out here (not read back from the module): a range reads alike at both ends;
      // a sign before a currency symbol is glued to it by a word joiner (no line break between them).
      expect(formatValue('ratio', 0.86)).toBe('86.0%');
      expect(formatValue('currency', 1204.4)).toBe('$1,204');
      expect(formatValue('currency', -12.5)).toBe('−\u2060$12.50');
      expect(formatRate('currency', -1437.2)).toBe('−\u2060$1,437');
      expect(formatValue('score', -41.25)).toBe('−41.3');
      expect(formatRate('score', 0)).toBe('0 pts');
    });
  });

  it('follows the reader’s locale and the workspace currency, and refuses an unknown currency', async () => {
    const { unitWords } = await import('../../metrics/words/units.ts');
    const de = unitWords('de-DE', 'EUR');
    expect(de.value('ratio', 0.934)).toMatch(/^93,4\s%$/);
    expect(de.delta('ratio', -0.012)).toBe('−1,2 pts');
    expect(de.value('currency', 1204)).toMatch(/^1\.204\s€$/);
    expect(de.date('2026-10-01', 'month')).toBe('Okt. 2026');
    const odd = unitWords('en-US', 'NOT-A-CODE');
    expect(odd.currency).toBeNull();
    expect(odd.value('currency', 1204)).toBe('1,204');
  });
});

describe('unit words, for any number', () => {
  it('never read NaN, never a hyphen for minus; a change carries its sign unless it rounds to nothing', async () => {
    const fc = (await import('fast-check')).default;
    const { unitWords } = await import('../../metrics/words/units.ts');
    const units = ['ratio', 'percent', 'score', 'currency', 'count', 'days', 'number'];
    const words = [unitWords('en-US', 'USD'), unitWords('de-DE', 'EUR'), unitWords('en-US', null)];
    fc.assert(
      fc.property(
        fc.constantFrom(...units),
        fc.constantFrom(...words),
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        (unit, w, x) => {
          for (const text of [w.value(unit, x), w.delta(unit, x), w.tick(unit, x), w.change(unit, 1, 1 + x)]) {
            expect(text).not.toMatch(/NaN|Infinity|undefined/);
            expect(text).not.toMatch(/(^|\s|\()-\d/);
          }
          const delta = w.delta(unit, x);
          // Signed as the number is, unless it rounds to nothing shown ("$0.00", "0").
          if (x !== 0 && /[1-9]/.test(delta)) expect(delta[0]).toBe(x > 0 ? '+' : '−');
          if (!/[1-9]/.test(delta)) expect(delta).not.toMatch(/^[+−]/);
          if (x === 0) expect(delta).not.toMatch(/^[+−]/);
          // A value that rounds to zero carries no sign either.
          if (Math.abs(x) < 1e-9) expect(w.value(unit, x)).not.toMatch(/^\D*−/);
        },
      ),
      { numRuns: 500 },
    );
  });
});
