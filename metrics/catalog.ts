// The metric catalog: definition files read from a folder and checked against the database.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Database } from '../data/db.ts';
import { settingPath } from '../data/settingPath.ts';
import { checkDefinitions, type CheckedMetric, type CheckResult, type DefinitionSource } from './check.ts';
import type { Definition, Problem } from './definition.ts';

export const SHIPPED_METRICS_DIR = resolve(import.meta.dirname, 'definitions');

/**
 * The definitions folder: `--metrics`, else BEARING_METRICS, else the shipped one. One that does not
 * exist is named with where it came from (it was a stack trace from deep inside the catalog).
 */
export function metricsDir(explicit?: string): string {
  const dir = settingPath(explicit, '--metrics', 'BEARING_METRICS', SHIPPED_METRICS_DIR);
  if (!statSync(dir.path, { throwIfNoEntry: false })?.isDirectory())
    throw dir.refuse('which is not a folder of metric definitions (it does not exist or is a file)');
  return dir.path;
}

export function readDefinitionFiles(dir: string): DefinitionSource[] {
  return (
    readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      // Named by their file name alone: problems travel to API clients, who must never see server paths.
      .map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') }))
  );
}

export class Catalog {
  private constructor(
    readonly dir: string,
    private result: CheckResult,
  ) {}

  static async load(db: Database, dir: string): Promise<Catalog> {
    const result = await db.read((s) => checkDefinitions(s, readDefinitionFiles(dir)));
    return new Catalog(dir, result);
  }

  /** Moves on with every reload, so answers cached by definitions can tell they changed. */
  version = 0;

  async reload(db: Database): Promise<void> {
    this.result = await db.read((s) => checkDefinitions(s, readDefinitionFiles(this.dir)));
    this.version++;
  }

  /** Every metric a reader sees: a ratio's hidden numerator and denominator are left out. */
  get metrics(): CheckedMetric[] {
    return this.result.metrics.filter((m) => !m.part_of);
  }

  get problems(): Problem[] {
    return this.result.problems;
  }

  get(name: string): CheckedMetric | undefined {
    return this.result.metrics.find((m) => m.definition.name === name);
  }

  /** Problems of the file that defines (or tried to define) a metric. */
  problemsOf(file: string): Problem[] {
    return this.result.problems.filter((p) => p.file === file);
  }

  resolve = (name: string): Definition | undefined => this.get(name)?.definition;
}
