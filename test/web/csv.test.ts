// The Channels export cannot inject formulas or shift columns (OWASP CSV injection).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, toCsvText } from '../../web/src/lib/csv.ts';

/** A small RFC 4180 reader, to read back what was written. */
function parse(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (ch !== '\r') field += ch;
  }
  return rows;
}

describe('CSV export', () => {
  it('neutralises formulas and keeps columns in place', () => {
    const text = toCsvText(
      ['channel', 'spend'],
      [
        ['=HYPERLINK("http://x","click")', 10],
        ['a,b', -3],
        ['@SUM(A1)', 0],
        ['+1', null],
      ],
    );
    const rows = parse(text);
    expect(rows).toEqual([
      ['channel', 'spend'],
      ['\'=HYPERLINK("http://x","click")', '10'],
      ['a,b', '-3'],
      ["'@SUM(A1)", '0'],
      ["'+1", ''],
    ]);
  });

  it('any text reads back as itself (or its inert form), one field each', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 6 }), (cells) => {
        const back = parse(
          toCsvText(
            cells.map((_, i) => `c${i}`),
            [cells],
          ),
        )[1]!;
        expect(back.length).toBe(cells.length);
        for (const [i, b] of back.entries()) {
          expect(b.replace(/\r/g, '')).toBe(
            (/^[=+\-@\t\r]/.test(cells[i]!) ? `'${cells[i]}` : cells[i]!).replace(/\r/g, ''),
          );
        }
      }),
    );
    expect(csvField(-0.5)).toBe('"-0.5"');
  });
});
