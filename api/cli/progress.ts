// Progress on a terminal: one line rewritten in place; nothing when output is piped (CI, scripts).
import type { ImportProgress } from '../../data/import/index.ts';
export interface Progress {
  update(text: string): void;
  done(text?: string): void;
}

export function progress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const live = Boolean(stream.isTTY);
  let last = '';
  return {
    update(text) {
      if (!live || text === last) return;
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
