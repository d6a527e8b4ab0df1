// The pieces every reader of the bench's sets shares: cells, separators, numbers and months.
import { describe, expect, it } from 'vitest';
import { cells, monthIndex, numberOf, separatorOf, slashedOrder } from '../../bench/forecastSeries.ts';

describe("the bench's CSV pieces", () => {
  it('splits quoted cells as RFC 4180 does, on the separator the header uses', () => {
    expect(cells('a, "b, c" ,"say ""hi""",,d')).toEqual(['a', 'b, c', 'say "hi"', '', 'd']);
    expect(cells('"x";"1,5"', ';')).toEqual(['x', '1,5']);
    expect([separatorOf('a,b;c'), separatorOf('a;b'), separatorOf('a\tb'), separatorOf('a')]).toEqual([
      ',',
      ';',
      '\t',
      ',',
    ]);
  });

  it('reads a decimal comma only where the comma cannot be the separator', () => {
    expect([numberOf('1234,5', ';'), numberOf('-0,25', '\t'), numberOf('12', ';')]).toEqual([1234.5, -0.25, 12]);
    expect(numberOf('1,5', ',')).toBeNaN();
    expect(numberOf('', ';')).toBeNaN();
  });

  it('reads the ways a month is written, and no guess', () => {
    const may2001 = 2001 * 12 + 4;
    for (const text of ['2001-05', '2001-5', '2001/05', '2001-05-31', '2001-05-31T00:00:00+02:00', '2001M05'])
      expect(monthIndex(text), text).toBe(may2001);
    for (const text of ['2001 May', 'May 2001', 'may-2001', '2001-May', 'MAY 2001'])
      expect(monthIndex(text), text).toBe(may2001);
    expect(monthIndex('Sept 2001')).toBe(2001 * 12 + 8);
    for (const text of ['2001-13', '2001-00', 'Mayo 2001', '05/31/2001', '2001Q2', '200105'])
      expect(monthIndex(text), text).toBeUndefined();
    expect(monthIndex('05/31/2001', 'month-first')).toBe(may2001);
    expect(monthIndex('31.05.2001', 'day-first')).toBe(may2001);
  });

  it("tells a column's day from its month when the column can, and not otherwise", () => {
    expect(slashedOrder(['1/1/1959', '2/1/1959', '3/1/1959'])).toBe('month-first');
    expect(slashedOrder(['1/31/2001', '2/28/2001'])).toBe('month-first');
    expect(slashedOrder(['31.01.2001', '28.02.2001'])).toBe('day-first');
    expect(slashedOrder(['1/1/2001', '1/2/2001', '1/3/2001'])).toBe('day-first');
    // Both above 12 somewhere, or nothing to tell by: no order.
    expect(slashedOrder(['13/1/2001', '1/13/2001'])).toBeUndefined();
    expect(slashedOrder(['02/01/2000'])).toBeUndefined();
    expect(slashedOrder(['2001-05', 'May 2001'])).toBeUndefined();
  });
});
