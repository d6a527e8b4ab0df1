// Goals are a YAML list in a file (metrics/goals.yaml by default), so a goal made in the UI can
// be reviewed in git. Writes are checked first and atomic (temporary file, then rename).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { writeFileAtomic } from '../data/atomicFile.ts';
import { type Document, isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { z } from 'zod';
import { isIsoDate, ISO_DATE_EXPECTED } from '../data/dates.ts';
import { BearingError } from '../data/errors.ts';
import type { Catalog } from './catalog.ts';
import { domainOf } from './heading/forecast.ts';
import type { Problem, Unit } from './definition.ts';
import { ProblemReporter } from '../data/problems.ts';
import type { ProblemCode } from '../data/codes.ts';
import { YamlSource } from '../data/yamlSource.ts';
import { settingPath } from '../data/settingPath.ts';

export const SHIPPED_GOALS_FILE = resolve(import.meta.dirname, 'goals.yaml');

/**
 * The goals file: `--goals`, else BEARING_GOALS, else the shipped one. It may not exist yet (the
 * server writes it when the first goal is made), unless `mustExist`: a command that only reads goals
 * and was given a file that is not there names it, rather than reading no goals. A folder is refused.
 */
export function goalsFile(explicit?: string, options: { mustExist?: boolean } = {}): string {
  const file = settingPath(explicit, '--goals', 'BEARING_GOALS', SHIPPED_GOALS_FILE);
  const stat = statSync(file.path, { throwIfNoEntry: false });
  if (stat?.isDirectory() || (!stat && options.mustExist && explicit !== undefined))
    throw file.refuse(`which is not a goals file (${stat ? 'it is a folder' : 'it does not exist'})`);
  return file.path;
}

const isoDate = z.string().refine(isIsoDate, ISO_DATE_EXPECTED);

export const GoalSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected lower-case letters, digits, - and _')
      .max(80),
    metric: z.string().min(1),
    target: z.number().finite(),
    due: isoDate,
    start: isoDate.optional(),
    where: z.record(z.string(), z.string()).optional(),
    owner: z.string().max(120).optional(),
    objective: z.enum(['business', 'community']).default('business'),
    note: z.string().max(2000).optional(),
    /** Rows a month needs to count in the reading (default: 30, or a fifth of a usual month if fewer). */
    min_n: z.number().int().min(0).max(1_000_000).optional(),
    /** Phased targets: the planned path runs from the baseline through them to the target. */
    milestones: z
      .array(z.strictObject({ date: isoDate, target: z.number().finite() }))
      .max(24)
      .refine((ms) => ms.every((m, i) => i === 0 || m.date > ms[i - 1]!.date), 'expected milestones in date order')
      .optional(),
  })
  .refine((g) => !g.milestones?.some((m) => m.date > g.due), {
    message: 'every milestone must be on or before the due date',
    path: ['milestones'],
  });
export type Goal = z.infer<typeof GoalSchema>;

export interface GoalsFile {
  file: string;
  goals: Goal[];
  problems: Problem[];
}

/**
 * The goals file, parsed once per version of it on disk (size, modification time to the
 * nanosecond, inode): the overview is asked for on every dashboard load, and parsing the YAML
 * was most of a warm request's time. A hand edit changes the stamp and is read at once.
 */
export function readGoals(file: string): GoalsFile {
  const stamp = stampOf(file);
  if (!stamp) return { file, goals: [], problems: [] };
  const hit = parsedGoals.get(file);
  if (hit?.stamp === stamp) return hit.parsed;
  const parsed = parseGoalsFile(file);
  parsedGoals.set(file, { stamp, parsed });
  return parsed;
}

/** A large goals file's YAML is parsed by `parse` (the server's worker pool), not on the caller's thread. */
const PARSED_ELSEWHERE_FROM = 64 * 1024;

/**
 * `readGoals` for the server: a file not yet read, and large, is parsed by `parse` off the event
 * loop (1,044 goals took 250 ms of YAML parsing, 21,060 goals 2 s, during which no request was
 * answered). The same cache, so every other reader finds it parsed.
 */
export async function readGoalsWith(
  file: string,
  parse: (file: string, text: string) => Promise<GoalsFile>,
): Promise<GoalsFile> {
  const stamp = stampOf(file);
  if (!stamp) return { file, goals: [], problems: [] };
  const hit = parsedGoals.get(file);
  if (hit?.stamp === stamp) return hit.parsed;
  const text = readFileSync(file, 'utf8');
  const parsed = text.length >= PARSED_ELSEWHERE_FROM ? await parse(file, text) : parseGoalsText(file, text);
  // Kept only if the file is still the one read (an edit while it was parsed is read next time).
  if (stampOf(file) === stamp) parsedGoals.set(file, { stamp, parsed });
  return parsed;
}

/** The file's version on disk (size, modification time to the nanosecond, inode); null when absent. */
function stampOf(file: string): string | null {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.size}:${s.mtimeNs}:${s.ino}`;
  } catch {
    return null;
  }
}

const parsedGoals = new Map<string, { stamp: string; parsed: GoalsFile }>();

function parseGoalsFile(file: string): GoalsFile {
  if (!existsSync(file)) return { file, goals: [], problems: [] };
  return parseGoalsText(file, readFileSync(file, 'utf8'));
}

/** A goals file's text, parsed and checked (pure: a worker can run it). */
export function parseGoalsText(file: string, text: string): GoalsFile {
  const reporter = new ProblemReporter();
  // Named by its file name: a problem is shown to API clients, who must not learn server paths.
  const report = reporter.forFile(new YamlSource(basename(file), text));
  const syntax = report.source.syntaxErrors();
  for (const e of syntax) report.place(e, '(yaml)', 'yaml-syntax', e.message);
  const raw = syntax.length ? [] : (report.source.value() ?? []);
  if (!Array.isArray(raw)) {
    report.place({ line: 1, col: 1 }, '(yaml)', 'not-a-list', 'expected a list of goals');
    return { file, goals: [], problems: reporter.problems };
  }
  const goals: Goal[] = [];
  // A set, not a search of the goals so far: 21,060 goals took 13 s to check that way.
  const ids = new Set<string>();
  raw.forEach((item, i) => {
    const parsed = GoalSchema.safeParse(item);
    const id = (item as { id?: unknown } | null)?.id;
    const repeated = typeof id === 'string' && ids.has(id);
    if (repeated) report.atPath([i, 'id'], 'duplicate-id', `goal id "${id}" is used twice`);
    if (typeof id === 'string') ids.add(id);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        report.atPath(
          [i, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
          'invalid-field',
          issue.message,
        );
      }
    } else if (!repeated) goals.push(parsed.data);
  });
  return { file, goals, problems: reporter.problems };
}

/**
 * The goals file checked like code (`bearing check`): its own problems (YAML, fields, dates,
 * milestones after `due`, repeated ids), then per item what needs the catalog, at the item's line
 * and column: an unknown metric, a dimension the metric does not offer, a target outside the
 * metric's domain. Every problem at once, in the file's order.
 */
export function checkGoalsFile(file: string, catalog: Catalog): Problem[] {
  if (!existsSync(file)) return [];
  const parsed = parseGoalsFile(file);
  const reporter = new ProblemReporter();
  const report = reporter.forFile(new YamlSource(basename(file), readFileSync(file, 'utf8')));
  const raw = report.source.syntaxErrors().length ? [] : (report.source.value() ?? []);
  // Each item by its own fields, also when another field of it failed the schema (a bad date does
  // not hide an unknown metric: every problem of the file at once, as dbt's parse does).
  (Array.isArray(raw) ? raw : []).forEach((item, i) => {
    const goal = catalogFieldsOf(item);
    if (!goal) return;
    for (const p of catalogProblems(goal, catalog)) report.atPath([i, ...p.path], p.code, p.message);
  });
  // In the file's order, as an editor lists them.
  return [...parsed.problems, ...reporter.problems].sort((a, b) => a.line - b.line || a.col - b.col);
}

/**
 * The fields the catalog checks (metric, where, target and milestone targets), read from one item
 * of the file as written: those of the wrong type are left to the schema's own problems.
 */
function catalogFieldsOf(item: unknown): CatalogFields | null {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return null;
  const { metric, target, where, milestones } = item as Record<string, unknown>;
  if (typeof metric !== 'string' || !metric) return null;
  const number = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  const targets = (Array.isArray(milestones) ? milestones : [])
    .map((m) => number((m as { target?: unknown } | null)?.target))
    .filter((t): t is number => t !== null);
  return {
    metric,
    target: number(target) ?? Number.NaN,
    where: where && typeof where === 'object' && !Array.isArray(where) ? (where as Goal['where']) : undefined,
    milestones: targets.map((t) => ({ date: '', target: t })),
  };
}

/** A target (or milestone target) the metric can never take, in words; null when all can be reached. */
function targetOutsideDomain(goal: Pick<Goal, 'target' | 'milestones'>, unit: Unit): string | null {
  const { min, max } = domainOf(unit);
  const targets = [goal.target, ...(goal.milestones ?? []).map((m) => m.target)].filter(Number.isFinite);
  if (!targets.some((t) => (min !== undefined && t < min) || (max !== undefined && t > max))) return null;
  return (
    `a ${unit} metric takes values from ${min ?? '−∞'} to ${max ?? '∞'} (got ${targets.join(', ')}); ` +
    (unit === 'ratio' ? 'write a share as 0.9, not 90' : 'the target can never be reached')
  );
}

/** What the catalog checks of a goal: its metric, filter, target and milestone targets. */
type CatalogFields = Pick<Goal, 'metric' | 'target' | 'where' | 'milestones'>;

/**
 * Problems that need the catalog, each at its field: an unknown metric, a dimension the metric does
 * not offer, a target out of its range. One list for `bearing check` (at the file's line and column)
 * and for the API's writes (goalProblems).
 */
function catalogProblems(
  goal: CatalogFields,
  catalog: Catalog,
): Array<{ path: string[]; code: ProblemCode; message: string }> {
  const metric = catalog.get(goal.metric);
  if (!metric) {
    const known = catalog.metrics.map((m) => m.definition.name).join(', ');
    const message = `metric "${goal.metric}" does not exist or has problems (known: ${known})`;
    return [{ path: ['metric'], code: 'unknown-metric', message }];
  }
  const outside = targetOutsideDomain(goal, metric.definition.unit);
  return [
    ...Object.keys(goal.where ?? {})
      .filter((d) => !metric.dimensions.includes(d))
      .map((d) => ({
        path: ['where', d],
        code: 'unknown-dimension' as const,
        message: `"${d}" is not a dimension of ${goal.metric} (expected one of ${metric.dimensions.join(', ')})`,
      })),
    ...(outside ? [{ path: ['target'], code: 'invalid-field' as const, message: outside }] : []),
  ];
}

/** The same problems in words, for a goal written through the API ("target: …" names its field). */
export function goalProblems(goal: Goal, catalog: Catalog): string[] {
  return catalogProblems(goal, catalog).map((p) => (p.path[0] === 'target' ? `target: ${p.message}` : p.message));
}

const HEADER = '# Goals read by `bearing heading` and the Heading page. Edited by hand or through the API.\n';
const plain = (g: Goal) => Object.fromEntries(Object.entries(g).filter(([, v]) => v !== undefined));

/**
 * Change the goals file as a YAML document, atomically (a crash leaves the old file or the new one,
 * never half): what the change does not touch stays as written (comments, the other goals' order
 * and layout, a goal being fixed by hand), so an edit in the app reads in git as the one change it
 * was. A file that is not a YAML list is refused.
 */
function editGoalsFile(file: string, change: (items: YAMLSeq<unknown>, doc: Document) => void): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const doc = parseDocument(text.trim() ? text : HEADER);
  if (doc.errors.length || (doc.contents !== null && !isSeq(doc.contents)))
    throw new BearingError('goals-file-invalid', `${basename(file)} is not a YAML list of goals; fix it by hand first`);
  if (doc.contents === null) doc.contents = doc.createNode([]) as never;
  change(doc.contents as unknown as YAMLSeq<unknown>, doc);
  writeFileAtomic(file, doc.toString({ lineWidth: 0 }));
}

const idOf = (item: unknown) => (isMap(item) ? item.get('id') : undefined);

/** One goal's fields set in place: its comments and the order of its keys kept, unchanged values untouched. */
function updateInPlace(node: YAMLMap, goal: Goal, doc: Document): void {
  const before = node.toJSON() as Record<string, unknown>;
  const after = plain(goal);
  for (const key of Object.keys(before)) if (!(key in after)) node.delete(key);
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(before[key]) === JSON.stringify(value)) continue;
    node.set(key, typeof value === 'object' && value !== null ? doc.createNode(value) : value);
  }
}

export function upsertGoal(file: string, goal: Goal, mode: 'create' | 'replace'): Goal[] {
  const current = readGoals(file);
  if (current.problems.length)
    throw new BearingError(
      'goals-file-invalid',
      `${basename(file)} has problems; fix it before writing through the API`,
      {
        problems: current.problems,
      },
    );
  const exists = current.goals.some((g) => g.id === goal.id);
  if (mode === 'create' && exists) throw new BearingError('goal-exists', `a goal with id "${goal.id}" already exists`);
  if (mode === 'replace' && !exists) throw new BearingError('unknown-goal', `no goal with id "${goal.id}"`);
  editGoalsFile(file, (items, doc) => {
    const node = items.items.find((item) => idOf(item) === goal.id);
    if (isMap(node)) updateInPlace(node, goal, doc);
    else items.items.push(doc.createNode(plain(goal)));
  });
  return exists ? current.goals.map((g) => (g.id === goal.id ? goal : g)) : [...current.goals, goal];
}

/** Remove the one goal named, and nothing else (a goal elsewhere in the file that does not check stays). */
export function deleteGoal(file: string, id: string): void {
  const current = readGoals(file);
  if (!current.goals.some((g) => g.id === id)) throw new BearingError('unknown-goal', `no goal with id "${id}"`);
  editGoalsFile(file, (items) => {
    items.items = items.items.filter((item) => idOf(item) !== id);
  });
}
