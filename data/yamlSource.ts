// Parses a definition's YAML and answers "where in the file is this field, or this character
// of this field's value", so every problem can name a line and column.
import { isScalar, LineCounter, parseDocument, Scalar, type Document } from 'yaml';

export interface SourcePosition {
  line: number;
  col: number;
}

/** YAML aliases one file may expand (the yaml library counts nested expansions). */
export const MAX_ALIAS_COUNT = 100;

export class YamlSource {
  readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
  }

  syntaxErrors(): Array<SourcePosition & { message: string }> {
    const errors = this.doc.errors.map((e) => {
      const pos = this.lines.linePos(e.pos[0]);
      return { line: pos.line, col: pos.col, message: e.message.split('\n')[0]! };
    });
    if (errors.length) return errors;
    // An alias bomb (aliases of aliases, expanding to millions of nodes) is a problem of the file,
    // reported like any other, never an exception that takes a request or a start-up down.
    const js = this.convert();
    return js.ok ? [] : [{ line: 1, col: 1, message: js.message }];
  }

  private converted?: { ok: true; value: unknown } | { ok: false; message: string };

  private convert() {
    if (!this.converted) {
      try {
        this.converted = { ok: true, value: this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
      } catch (error) {
        this.converted = {
          ok: false,
          message:
            `the file could not be expanded: ${(error as Error).message.split('\n')[0]} (at most ` +
            `${MAX_ALIAS_COUNT} alias expansions)`,
        };
      }
    }
    return this.converted;
  }

  value(): unknown {
    const js = this.convert();
    return js.ok ? js.value : undefined;
  }

  /** Position of a field (path of keys and indexes), or of the nearest parent that exists. */
  fieldPosition(path: Array<string | number>): SourcePosition {
    for (let depth = path.length; depth > 0; depth--) {
      const node = this.doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return this.lines.linePos(node.range[0]);
      if (depth === path.length && path.length) {
      }
    }
    return { line: 1, col: 1 };
  }

  /** Position of a top-level key itself (for unknown fields). */
  keyPosition(key: string): SourcePosition {
    const contents = this.doc.contents as {
      items?: Array<{ key?: { value?: unknown; range?: [number, number, number] } }>;
    } | null;
    const pair = contents?.items?.find((p) => p.key?.value === key);
    return pair?.key?.range ? this.lines.linePos(pair.key.range[0]) : this.fieldPosition([key]);
  }

  /** Position of character `offset` inside the string value of a top-level field. */
  valuePosition(field: string, offset: number): SourcePosition {
    const node = this.doc.get(field, true);
    if (!isScalar(node) || !node.range) return this.fieldPosition([field]);
    const [start, end] = node.range;
    const value = String(node.value);
    const at = Math.max(0, Math.min(offset, value.length));
    switch (node.type) {
      case Scalar.QUOTE_DOUBLE:
      case Scalar.QUOTE_SINGLE:
        return this.lines.linePos(start + 1 + at);
      case Scalar.BLOCK_LITERAL:
      case Scalar.BLOCK_FOLDED: {
        const source = this.text.slice(start, end).split('\n');
        const content = source.slice(1);
        const indent = Math.min(...content.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
        const before = value.slice(0, at).split('\n');
        const lineIndex = before.length - 1;
        const col = before.at(-1)!.length;
        let pos = start + source[0]!.length + 1;
        for (let i = 0; i < lineIndex && i < content.length; i++) pos += content[i]!.length + 1;
        return this.lines.linePos(pos + (Number.isFinite(indent) ? indent : 0) + col);
      }
      default: {
        // Plain scalars may fold across lines; map through the source, skipping line breaks and indentation.
        const source = this.text.slice(start, end);
        let seen = 0;
        for (let i = 0; i < source.length; i++) {
          if (seen >= at) return this.lines.linePos(start + i);
          const ch = source[i]!;
          if (ch === '\n') {
            while (i + 1 < source.length && source[i + 1] === ' ') i++;
            seen++;
          } else seen++;
        }
        return this.lines.linePos(start + source.length);
      }
    }
  }
}
