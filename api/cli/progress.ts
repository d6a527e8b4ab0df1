// Progress on a terminal: one line rewritten in place; nothing when output is piped (CI, scripts),
// unless BEARING_PROGRESS=lines asks for each step on a line of its own (logs, and tests that must
// know an import has begun).
import type { ImportProgress } from '../../data/import/index.ts';
export interface Progress {
  update(text: string): void;
  done(text?: string): void;
}

export function progress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const lines = process.env.BEARING_PROGRESS === 'lines';
  const live = Boolean(stream.isTTY) && !lines;
  let last = '';
  return {
    update(text) {
      if (text === last) return;
      if (lines) stream.write(`${text}\n`);
      if (!live) return;
      last = text;
      stream.write(`\r\x1b[2K${text}`);
    },
    done(text) {
      if (live && last) stream.write('\r\x1b[2K');
      last = '';
      if (text) stream.write(`${text}\n`);
    },
  };
}

/** An import's or sync's progress, as one line on the terminal. */
export function importProgress(bar: Progress): (p: ImportProgress) => void {
  return (p) => {
    if (p.phase === 'read') bar.update(`reading ${p.file} (${Math.round(p.percent)}%)`);
    else if (p.phase === 'validate') bar.update(`validating ${p.table}`);
    else bar.update(`writing ${p.table} (${p.rows.toLocaleString('en-US')} rows)`);
  };
}
