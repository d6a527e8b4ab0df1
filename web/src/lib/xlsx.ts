// An .xlsx workbook of one sheet, for finance: numbers stored as numbers (not text, as a CSV opened
// in a spreadsheet may read them), text as inline strings, the header row bold and frozen. An
// .xlsx is a zip of a few XML parts; fflate (8 KB, maintained) zips them. Loaded only when someone
// exports, so it never weighs on the first screen.
import { strToU8, zipSync } from 'fflate';

const xmlText = (text: string) =>
  text
    .replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!)
    // Control characters are not allowed in XML 1.0.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** A1-style column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function cell(value: unknown, ref: string, header: boolean): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'number') return Number.isFinite(value) ? `<c r="${ref}"><v>${value}</v></c>` : '';
  if (typeof value === 'boolean') return `<c r="${ref}" t="b"><v>${value ? 1 : 0}</v></c>`;
  const style = header ? ' s="1"' : '';
  return `<c r="${ref}" t="inlineStr"${style}><is><t xml:space="preserve">${xmlText(String(value))}</t></is></c>`;
}

function sheetXml(header: string[], rows: unknown[][]): string {
  const all = [header, ...rows];
  const body = all
    .map((r, i) => `<row r="${i + 1}">${r.map((v, j) => cell(v, `${columnName(j)}${i + 1}`, i === 0)).join('')}</row>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" ' +
    'state="frozen"/></sheetView></sheetViews>' +
    `<sheetData>${body}</sheetData></worksheet>`
  );
}

const NS = 'http://schemas.openxmlformats.org';
const PARTS = {
  '[Content_Types].xml':
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="${NS}/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ' +
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    '<Override PartName="/xl/worksheets/sheet1.xml" ' +
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
    '<Override PartName="/xl/styles.xml" ' +
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
  '_rels/.rels':
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${NS}/package/2006/relationships">` +
    `<Relationship Id="rId1" Type="${NS}/officeDocument/2006/relationships/officeDocument" ` +
    'Target="xl/workbook.xml"/></Relationships>',
  'xl/_rels/workbook.xml.rels':
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${NS}/package/2006/relationships">` +
    `<Relationship Id="rId1" Type="${NS}/officeDocument/2006/relationships/worksheet" ` +
    'Target="worksheets/sheet1.xml"/>' +
    `<Relationship Id="rId2" Type="${NS}/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
    '</Relationships>',
  'xl/styles.xml':
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="${NS}/spreadsheetml/2006/main">` +
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/>' +
    '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill ' +
    'patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>' +
    '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" ' +
    'fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>',
};

/** The workbook's bytes: one sheet named `sheet`, the header row first. */
export function toXlsx(sheet: string, header: string[], rows: unknown[][]): Uint8Array {
  const workbook =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="${NS}/spreadsheetml/2006/main" ` +
    `xmlns:r="${NS}/officeDocument/2006/relationships"><sheets><sheet name="${xmlText(sheet.slice(0, 31))}" ` +
    'sheetId="1" r:id="rId1"/></sheets></workbook>';
  const files: Record<string, Uint8Array> = { 'xl/workbook.xml': strToU8(workbook) };
  for (const [path, xml] of Object.entries(PARTS)) files[path] = strToU8(xml);
  files['xl/worksheets/sheet1.xml'] = strToU8(sheetXml(header, rows));
  return zipSync(files, { level: 6 });
}
