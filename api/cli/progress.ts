// Progress on a terminal: one line rewritten in place; nothing when output is piped (CI, scripts).
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
