// What a file handed to the CSV importer really is, and its header row, read by Bearing itself
// rather than by DuckDB's sniffer. The sniffer guesses a dialect from the whole sample, so a bad
// row further down made it take that row as the header ("missing required column" on line 1) and
// a JSON file or an unterminated quote read as "not UTF-8". Reading the header here lets the load
// run with a fixed dialect, whose own errors then name the real line and the real problem.
import { closeSync, openSync, readSync } from 'node:fs';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { CONTRACT } from '../contract.ts';
import { duckdbReason } from '../db.ts';
import { BearingError } from '../errors.ts';
import type { PlannedFile } from './plan.ts';
import { rejected } from './report.ts';

/**
 * How every CSV file is read once its header is known: a fixed dialect (no sniffing, strict
 * quoting, no padding) and every column as text under the header's own names, so the reader's own
 * errors name the real line. `$path` is bound by the caller.
 */
export function csvSource(header: string[]): string {
  const columns = `{${header.map((h) => `'${h.replace(/'/g, "''")}': 'VARCHAR'`).join(', ')}}`;
  return (
    `read_csv($path, header = true, delim = ',', quote = '"', escape = '"', strict_mode = true, null_padding = ` +
    `false, auto_detect = false, columns = ${columns})`
  );
}

/** The header must fit in this many bytes (a 1M-column header is refused, not parsed). */
export const MAX_HEADER_BYTES = 1024 * 1024;

export class CsvFileProblem extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const startsWith = (bytes: Uint8Array, ...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

function readStart(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(MAX_HEADER_BYTES + 1);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Names what a non-CSV file is, from its first bytes; null when it may be CSV text. */
export function notCsv(bytes: Uint8Array): string | null {
  if (startsWith(bytes, 0x50, 0x41, 0x52, 0x31))
    return 'this is a Parquet file, not CSV (expected comma-separated text with a header row)';
  if (startsWith(bytes, 0x1f, 0x8b)) return 'this is a gzip-compressed file, not CSV text (decompress it first)';
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04))
    return 'this is a ZIP archive or an Excel workbook, not CSV (export the sheet as CSV)';
  if (startsWith(bytes, 0xff, 0xfe) || startsWith(bytes, 0xfe, 0xff))
    return 'this file is UTF-16 text (expected UTF-8; re-save it as UTF-8 CSV)';
  const text = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 4096))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (text.startsWith('{') || text.startsWith('['))
    return 'this looks like JSON, not CSV (expected comma-separated text with a header row)';
  // Binary files (and UTF-16 without a byte-order mark) are full of NUL bytes; one NUL in a value
  // is the value's problem, reported at its line.
  const head = bytes.subarray(0, 8192);
  if (head.length && head.filter((b) => b === 0).length / head.length > 0.1)
    return 'this is a binary file, not CSV text (expected UTF-8 comma-separated text)';
  return null;
}

/**
 * The first record of a CSV file, split by RFC 4180 rules (comma, double quotes, "" inside
 * quotes); a leading byte-order mark is dropped. Throws CsvFileProblem naming line 1.
 */
export function parseHeader(bytes: Uint8Array, delimiter = ','): string[] {
  let end = -1;
  let quoted = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x22) quoted = !quoted;
    else if (b === 0x0a && !quoted) {
      end = i;
      break;
    }
  }
  if (end < 0) {
    if (bytes.length > MAX_HEADER_BYTES)
      throw new CsvFileProblem(
        1,
        `the header row is longer than ${MAX_HEADER_BYTES / 1024 / 1024} MB (expected a row of column names)`,
      );
    if (quoted)
      throw new CsvFileProblem(
        1,
        'unterminated quoted field in the header row (a value opened with " is never closed)',
      );
    end = bytes.length;
  }
  let line: string;
  try {
    line = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
  } catch {
    throw new CsvFileProblem(1, 'the header row is not valid UTF-8 (expected UTF-8 text; re-save the file as UTF-8)');
  }
  line = line.replace(/^\uFEFF/, '').replace(/\r$/, '');
  if (!line.trim()) throw new CsvFileProblem(1, 'the first line is empty (expected a header row naming the columns)');
  const fields: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (inQuotes) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') inQuotes = false;
      else field += ch;
    } else if (ch === '"') inQuotes = true;
    else if (line.startsWith(delimiter, i)) {
      i += delimiter.length - 1;
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  const names = fields.map((f) => f.trim());
  const blank = names.findIndex((n) => !n);
  if (blank >= 0)
    throw new CsvFileProblem(1, `column ${blank + 1} of the header row has no name (expected a name for every column)`);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new CsvFileProblem(1, `the header row names "${name}" twice (expected each column once)`);
    seen.add(name);
  }
  return names;
}

/** The header of a CSV file on disk, or a CsvFileProblem saying what the file is instead. */
export function readCsvHeader(path: string): string[] {
  const bytes = readStart(path);
  const other = notCsv(bytes);
  if (other) throw new CsvFileProblem(1, other);
  const header = parseHeader(bytes);
  // One column whose name holds another delimiter: a file saved with ; (a European spreadsheet's
  // CSV), tabs or |. Named as such, not as every required column missing.
  const delimiter = header.length === 1 ? sniffDelimiter(bytes) : ',';
  if (delimiter !== ',') {
    const name = delimiter === '\t' ? 'tabs' : `"${delimiter}"`;
    throw new CsvFileProblem(
      1,
      `the columns are separated by ${name}, not commas (bearing import reads comma-separated files): re-save it ` +
        `with commas, or read it through a source, which takes delimiter: ${JSON.stringify(delimiter)}` +
        (delimiter === ';' ? ' (and decimal: "," for amounts such as 12,50)' : ''),
    );
  }
  return header;
}

/**
 * The first lines of a gzip file's text, never more than MAX_HEADER_BYTES of it: the compressed
 * start is opened a little at a time until a line ends. A 970 KB file of compressed zeros once
 * expanded to 1 GB here, on the event loop, to read a header.
 */
function gunzipStart(compressed: Uint8Array): Uint8Array {
  for (let take = 1024; ; take *= 8) {
    const slice = compressed.subarray(0, take);
    let text: Uint8Array;
    try {
      text = new Uint8Array(
        gunzipSync(slice, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: MAX_HEADER_BYTES }),
      );
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw new CsvFileProblem(1, `the first line is longer than ${MAX_HEADER_BYTES / 1024} KB once decompressed`);
      throw new CsvFileProblem(1, 'the file looks gzip-compressed but cannot be decompressed');
    }
    if (text.includes(0x0a) || take >= compressed.length) return text;
  }
}

/**
 * A delimited text file's header for a source: gzip is opened, the delimiter is the one given or
 * the one of , ; tab | that the header row holds most of (outside quotes).
 */
export function readDelimitedHeader(
  path: string,
  delimiter?: string,
  skipLines = 0,
): { header: string[]; delimiter: string } {
  const bytes = textStart(path, skipLines);
  const other = notCsv(bytes);
  if (other && !other.includes('gzip')) throw new CsvFileProblem(1, other);
  const chosen = delimiter ?? sniffDelimiter(bytes);
  return { header: parseHeader(bytes, chosen), delimiter: chosen };
}

/** The names on a header line whose columns are aligned by runs of blanks (no one delimiter). */
export function readWhitespaceHeader(path: string, skipLines = 0): string[] {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(textStart(path, skipLines));
  return (text.split(/\r?\n/, 1)[0] ?? '').trim().split(/\s+/).filter(Boolean);
}

/** A text file's start (gzip opened), after the lines before its header (a title, notes). */
function textStart(path: string, skipLines: number): Uint8Array {
  let bytes = readStart(path);
  if (startsWith(bytes, 0x1f, 0x8b)) bytes = gunzipStart(bytes);
  for (let skipped = 0; skipped < skipLines; skipped++) {
    const end = bytes.indexOf(0x0a);
    if (end < 0)
      throw new CsvFileProblem(skipLines, `the file has fewer than ${skipLines + 1} lines (skip: ${skipLines})`);
    bytes = bytes.subarray(end + 1);
  }
  return bytes;
}

function sniffDelimiter(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 64 * 1024));
  const first = text.split('\n', 1)[0] ?? '';
  const outside = first.replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t', '|'].map((d) => ({ d, n: outside.split(d).length - 1 }));
  const best = counts.reduce((a, b) => (b.n > a.n ? b : a));
  return best.n > 0 ? best.d : ',';
}

/**
 * DuckDB's CSV reader error → the line it names and what is wrong, in the user's words. Only the
 * first line of DuckDB's text is reasoned about; its hints and echo of our options are dropped.
 */
export function describeCsvError(message: string): { line: number; problem: string } {
  const line = Number(/CSV Error on Line: (\d+)/i.exec(message)?.[1] ?? /Line: (\d+)/i.exec(message)?.[1] ?? 0);
  const counts = /Expected Number of Columns: (\d+) Found: (\d+)/i.exec(message);
  if (counts) return { line, problem: `expected ${counts[1]} fields, found ${counts[2]}` };
  if (/unterminated quote/i.test(message))
    return { line, problem: 'unterminated quoted field: a value opened with " on this line is never closed' };
  if (/Invalid unicode|not utf-8 encoded/i.test(message))
    return { line, problem: 'the file is not valid UTF-8 here (expected UTF-8 text; re-save the file as UTF-8)' };
  if (/Permission Error/i.test(message)) return { line, problem: 'the file is outside the folders Bearing may read' };
  if (/maximum line size|max_line_size/i.test(message))
    return { line, problem: 'a line is longer than the reader allows (a value may be missing its closing quote)' };
  const first =
    message.split('\n').find((l) => l.trim() && !/^CSV Error on Line/i.test(l) && !/^Original Line/i.test(l)) ??
    message.split('\n')[0]!;
  return { line, problem: duckdbReason(first) };
}

/** What a planned file is read from: its CSV as it is, or its source's mapping. */
export function fileRelation(
  file: PlannedFile,
  header: string[],
  numbered = true,
): { from: string; params: Record<string, string> } {
  if (file.mapped) return { from: `(${numbered ? file.mapped.sql : file.mapped.fastSql})`, params: file.mapped.params };
  return { from: csvSource(header), params: { path: file.path } };
}

export function readHeader(file: PlannedFile): string[] {
  if (file.mapped) return file.mapped.columns;
  // Read by Bearing, not sniffed by DuckDB: a sniffer takes a bad row further down for the header.
  try {
    return readCsvHeader(file.path);
  } catch (error) {
    throw csvError(error, file);
  }
}

export function csvError(error: unknown, file: PlannedFile): BearingError {
  if (error instanceof BearingError) return error;
  if (error instanceof CsvFileProblem)
    return rejected([{ file: file.label, line: error.line, column: '', value: null, problem: error.message }], 1, []);
  const { line, problem } = describeCsvError(error instanceof Error ? error.message : String(error));
  return rejected([{ file: file.label, line, column: '', value: null, problem }], 1, []);
}

export function warnUnknownColumns(file: PlannedFile, header: string[], warnings: string[]): void {
  if (file.mapped) return; // a source names its columns; what it leaves out it meant to
  const known = new Set(CONTRACT[file.table].columns.map((c) => c.name));
  for (const name of header) {
    if (!known.has(name))
      warnings.push(`${file.label}: column "${name}" is not in the ${file.table} contract and was ignored`);
  }
}
