// The workbook writer behind "Export XLSX": a valid package (every part a spreadsheet looks for),
// numbers as numbers, text inline and escaped, the header bold and frozen, columns named past Z.
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { columnName, toXlsx } from '../../web/src/lib/xlsx.ts';

describe('toXlsx', () => {
  const book = unzipSync(
    toXlsx(
      'Channels',
      ['channel', 'lift', 'placebo_flagged', 'note'],
      [
        ['social', 2.04, false, 'a < b & "c"'],
        ['=cmd', null, true, 'bell\u0007'],
      ],
    ),
  );
  const sheet = strFromU8(book['xl/worksheets/sheet1.xml']!);

  it('holds every part of a one-sheet workbook', () => {
    expect(Object.keys(book).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
    ]);
    expect(strFromU8(book['xl/workbook.xml']!)).toContain('<sheet name="Channels" sheetId="1" r:id="rId1"/>');
    expect(sheet).toContain('state="frozen"');
  });

  it('writes numbers as numbers, booleans as booleans, text inline and escaped; empty cells are left out', () => {
    expect(sheet).toContain('<c r="A1" t="inlineStr" s="1"><is><t xml:space="preserve">channel</t></is></c>');
    expect(sheet).toContain('<c r="B2"><v>2.04</v></c>');
    expect(sheet).toContain('<c r="C3" t="b"><v>1</v></c>');
    expect(sheet).toContain('<t xml:space="preserve">a &lt; b &amp; &quot;c&quot;</t>');
    // A formula-looking text stays text (an inline string is never evaluated); control characters go.
    expect(sheet).toContain('<c r="A3" t="inlineStr"><is><t xml:space="preserve">=cmd</t></is></c>');
    expect(sheet).toContain('<t xml:space="preserve">bell</t>');
    expect(sheet).not.toContain('r="B3"');
  });

  it('names columns A…Z, AA…ZZ, AAA', () => {
    expect([0, 25, 26, 51, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'ZZ', 'AAA']);
  });
});
