// CSV for spreadsheets: every field quoted (a comma in a channel name cannot shift the columns),
// and text that a spreadsheet would run as a formula (= + - @, tab, carriage return first) made
// inert with a leading apostrophe, as OWASP's CSV-injection advice says. Numbers stay numbers.

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '""';
  if (typeof value === 'number') return Number.isFinite(value) ? `"${value}"` : '""';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function toCsvText(header: string[], rows: unknown[][]): string {
  return `${[header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}
