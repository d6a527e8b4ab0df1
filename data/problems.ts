// Problems found in a YAML file, each placed at the line and column of the field (or the
// character of its value) it is about; the checker and the goals reader report through it, in
// the manner of Cube's ErrorReporter: reporter.forFile(source).at(field, code, message, offset?).
import type { ProblemCode } from './codes.ts';
import type { SourcePosition, YamlSource } from './yamlSource.ts';

/** A stable kebab-case code, the file, position and field of one problem in a YAML file. */
export interface Problem {
  code: ProblemCode;
  file: string;
  line: number;
  col: number;
  field: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.field}: ${p.message}`;
}

export class ProblemReporter {
  readonly problems: Problem[] = [];

  forFile(source: YamlSource): FileProblems {
    return new FileProblems(this.problems, source);
  }

  /** Whether anything was reported since `mark` (a count taken from problems.length). */
  since(mark: number): boolean {
    return this.problems.length > mark;
  }
}

export class FileProblems {
  constructor(
    private readonly problems: Problem[],
    readonly source: YamlSource,
  ) {}

  /** A problem of a field; with `offset`, at that character of the field's value. */
  at(field: string, code: ProblemCode, message: string, offset?: number): void {
    const pos = offset === undefined ? this.source.fieldPosition([field]) : this.source.valuePosition(field, offset);
    this.place(pos, field, code, message);
  }

  /** A problem at a key itself (an unknown field), or a nested path (goal 3's due date). */
  atKey(key: string, code: ProblemCode, message: string): void {
    this.place(this.source.keyPosition(key), key, code, message);
  }

  atPath(path: Array<string | number>, code: ProblemCode, message: string): void {
    this.place(this.source.fieldPosition(path), path.join('.') || '(yaml)', code, message);
  }

  place(pos: SourcePosition, field: string, code: ProblemCode, message: string): void {
    this.problems.push({ code, file: this.source.file, line: pos.line, col: pos.col, field, message });
  }

  /** The same file's problems for fields nested under `prefix` (a ratio's numerator): measure → numerator.measure. */
  within(prefix: string): FileProblems {
    const outer = this;
    return new (class extends FileProblems {
      override at(field: string, code: ProblemCode, message: string): void {
        outer.atPath([prefix, field], code, message);
      }
      override atKey(key: string, code: ProblemCode, message: string): void {
        outer.atPath([prefix, key], code, message);
      }
      override atPath(path: Array<string | number>, code: ProblemCode, message: string): void {
        outer.atPath([prefix, ...path], code, message);
      }
    })(this.problems, this.source);
  }
}

/** zod's issues as problems at their fields (an unrecognised key as unknown-field, at the key). */
export function reportIssues(
  report: FileProblems,
  base: Array<string | number>,
  issues: Array<{ code: string; path: PropertyKey[]; message: string; keys?: string[] }>,
): void {
  for (const issue of issues) {
    const path = [...base, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) report.atPath([...path, key], 'unknown-field', `unknown field "${key}"`);
    } else report.atPath(path, path.length ? 'invalid-field' : 'not-a-mapping', issue.message);
  }
}

/** A YAML file's syntax problems reported; returns its value, or undefined when it has none. */
export function parsedValue(report: FileProblems): unknown {
  const syntax = report.source.syntaxErrors();
  for (const e of syntax) report.place(e, '(yaml)', 'yaml-syntax', e.message);
  return syntax.length ? undefined : report.source.value();
}
