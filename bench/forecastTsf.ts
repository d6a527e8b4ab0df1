// The Monash forecasting archive's .tsf files (forecastingdata.org: M1, M3, M4, tourism, hospital,
// … as published there), read for `npm run bench:forecast -- --data file.tsf`. A .tsf file is a
// header of `@` lines (attributes, `@frequency`, `@horizon`, `@missing`), then `@data`, then one
// series a line: its attribute values and its values, separated by colons, values by commas.
// The archive's files hold each series whole; its last `@horizon` values are the future.
import { FUTURE_MONTHS, futureOf, type RealSeries, readText, splitSeries } from './forecastSeries.ts';

interface Attribute {
  name: string;
  type: string;
}

/** `1990-01-01 00-00-00` (the archive's own form) or any date starting YYYY-MM: its month, 1–12. */
function monthOf(text: string): number | undefined {
  const m = /^\d{4}-(\d{2})/.exec(text);
  const month = m ? Number(m[1]) : Number.NaN;
  return month >= 1 && month <= 12 ? month : undefined;
}

/**
 * Every series of a monthly .tsf file. The future is the last `@horizon` values and at least 18 (a
 * file whose horizon is shorter, such as the archive's hospital set at 12, has its cut-off moved back
 * so that every goal can be scored). The first month comes from a `date` attribute when there is one
 * (period 1 is read as a January otherwise, which moves no forecast); a `category` or `type` string
 * attribute is the series' category. A missing value (`?`), a frequency other than monthly or a line
 * whose parts do not match the attributes stops the run with the file's line: the forecast reads
 * values by position, so a gap would shift every later month's calendar.
 */
export function tsfMonthly(file: string): RealSeries[] {
  const lines = readText(file, 'latin1').split(/\r?\n/);
  const attributes: Attribute[] = [];
  let horizon = FUTURE_MONTHS;
  let inData = false;
  const out: RealSeries[] = [];
  const fail = (line: number, what: string): never => {
    throw new Error(`${file}:${line}: ${what}`);
  };
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const at = i + 1;
    if (!line || line.startsWith('#')) return;
    if (!inData) {
      if (!line.startsWith('@'))
        fail(at, `expected a header line starting with @ before @data (got "${line.slice(0, 40)}")`);
      const [tag, ...rest] = line.split(/\s+/);
      const key = tag!.toLowerCase();
      if (key === '@data') {
        if (!attributes.length) fail(at, 'expected @attribute lines before @data');
        inData = true;
      } else if (key === '@attribute') {
        if (rest.length !== 2) fail(at, `expected "@attribute name type" (got "${line}")`);
        attributes.push({ name: rest[0]!.toLowerCase(), type: rest[1]!.toLowerCase() });
      } else if (key === '@frequency' && rest[0]?.toLowerCase() !== 'monthly') {
        fail(at, `frequency "${rest[0] ?? ''}": the bench scores monthly series (expected @frequency monthly)`);
      } else if (key === '@horizon') {
        const h = Number(rest[0]);
        if (!Number.isInteger(h) || h < 1)
          fail(at, `expected a whole number of periods after @horizon (got "${rest[0] ?? ''}")`);
        horizon = futureOf(h);
      }
      return;
    }
    const parts = line.split(':');
    if (parts.length !== attributes.length + 1)
      fail(
        at,
        `expected ${attributes.length} attribute values and the series, colon-separated (got ${parts.length} parts)`,
      );
    const named = (name: string) => parts[attributes.findIndex((a) => a.name === name)];
    const id = named('series_name') ?? parts[0]!;
    const dateAt = attributes.findIndex((a) => a.type === 'date');
    const startMonth = dateAt < 0 ? 1 : monthOf(parts[dateAt]!);
    if (startMonth === undefined)
      fail(at, `series "${id}": expected a date such as 1990-01-01 00-00-00 (got "${parts[dateAt]}")`);
    const values = parts
      .at(-1)!
      .split(',')
      .map((text, k) => {
        const v = ['?', ''].includes(text.trim()) ? Number.NaN : Number(text);
        if (!Number.isFinite(v))
          fail(
            at,
            `series "${id}": value ${k + 1} is "${text}" (expected a number; the bench needs every month, no gaps)`,
          );
        return v;
      });
    if (values.length <= horizon)
      fail(at, `series "${id}": ${values.length} values, not more than its future of ${horizon} months`);
    out.push(
      splitSeries({ id, category: named('category') ?? named('type'), startMonth: startMonth!, values }, horizon),
    );
  });
  if (!inData) throw new Error(`${file}: no @data line (expected a .tsf file of the Monash forecasting archive)`);
  return out;
}
