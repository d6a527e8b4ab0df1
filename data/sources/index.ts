// Sources end to end: read the sources files, plan each source's reads, then check them (every
// rule, rolled back, with a preview) or sync them (one transaction, all or nothing).
import { LOAD_ORDER, type ContractTable } from '../contract.ts';
import type { Database, Row, Session } from '../db.ts';
import { BearingError } from '../errors.ts';
import {
  formatProblems,
  importPlannedFiles,
  type ImportOptions,
  type ImportReport,
  type PlannedFile,
} from '../import/index.ts';
import { recordImport } from '../history.ts';
import { formatProblem, type Problem, ProblemReporter } from '../problems.ts';
import type { Settings, Workspace } from '../workspace.ts';
import { keptColumns, keptTypes, readSourcesFiles, type Source, type SourcesFile } from './definition.ts';
import { planSource, type SourcePlan } from './relation.ts';

export type { Source } from './definition.ts';

export interface PlannedSources {
  files: SourcesFile[];
  plans: SourcePlan[];
  /** Problems of the sources files and of planning, at file:line:col of the sources file. */
  problems: Problem[];
}

/** Every problem placed in its sources file (`sources/<file>`), at the field it is about. */
function placePlanProblems(files: SourcesFile[], plans: SourcePlan[]): void {
  for (const plan of plans) {
    const report = files.find((f) => f.file === plan.source.file)!.report;
    for (const p of plan.problems) {
      const path = ['sources', plan.source.index, ...p.field.split('.')];
      const message = p.at ? `${p.at}: ${p.message}` : p.message;
      report.atPath(path, 'invalid-field', message);
    }
  }
}

/** Read and plan the sources (or only those named); nothing is read beyond headers and schemas. */
export async function planSources(
  session: Session,
  workspace: Workspace,
  settings: Settings,
  only: string[] = [],
  overrides: Record<string, string> = {},
): Promise<PlannedSources> {
  const reporter = new ProblemReporter();
  const files = readSourcesFiles(workspace.sourcesDir, reporter, overrides);
  const all = files.flatMap((f) => f.sources);
  const seen = new Map<string, Source>();
  for (const s of all) {
    const first = seen.get(s.name);
    if (first)
      files
        .find((f) => f.file === s.file)!
        .report.atPath(['sources', s.index, 'name'], 'duplicate-name', `source "${s.name}" is also in ${first.file}`);
    else seen.set(s.name, s);
  }
  const unknown = only.filter((n) => !seen.has(n));
  if (unknown.length)
    throw new BearingError(
      'usage',
      `no source named ${unknown.map((n) => `"${n}"`).join(', ')} (known: ${[...seen.keys()].join(', ') || 'none'})`,
    );
  const chosen = [...seen.values()].filter((s) => !only.length || only.includes(s.name));
  let index = 0;
  const ctx = { session, root: workspace.sourcesDir, workspaceZone: settings.timezone, nextIndex: () => index++ };
  const plans: SourcePlan[] = [];
  for (const source of chosen) plans.push(await planSource(source, ctx));
  keysAgree(files, plans);
  placePlanProblems(files, plans);
  return { files, plans, problems: reporter.problems };
}

/** Sources of one table must agree on its declared key. */
function keysAgree(files: SourcesFile[], plans: SourcePlan[]): void {
  for (const table of LOAD_ORDER) {
    const keyed = plans.filter((p) => p.source.table === table && p.source.key);
    const first = keyed[0];
    for (const other of keyed.slice(1)) {
      if (other.source.key!.join(',') === first!.source.key!.join(',')) continue;
      files
        .find((f) => f.file === other.source.file)!
        .report.atPath(
          ['sources', other.source.index, 'key'],
          'invalid-field',
          `${table} is keyed on ${first!.source.key!.join(', ')} by source "${first!.source.name}"; sources of one ` +
            'table must agree',
        );
    }
  }
}

/** The import options a set of planned sources implies: kept columns and declared keys per table. */
function importOptionsOf(plans: SourcePlan[], settings: Settings, completeThrough?: string): ImportOptions {
  const layouts: NonNullable<ImportOptions['layouts']> = {};
  // A table fed by several sources is complete through the earliest date any of them declares.
  const byTable: NonNullable<ImportOptions['completeThroughByTable']> = {};
  for (const { source } of plans) {
    const date = source.complete_through ?? completeThrough;
    const known = byTable[source.table];
    if (date && (!known || date < known)) byTable[source.table] = date;
    const l = layouts[source.table] ?? {};
    layouts[source.table] = l;
    l.extras = [...new Set([...(l.extras ?? []), ...keptColumns(source)])];
    l.types = { ...l.types, ...keptTypes(source) };
    if (source.key) l.key = source.key;
  }
  return {
    layouts,
    lifecycle: { inactiveAfterDays: settings.churn?.inactive_after_days },
    kind: 'sync',
    sources: plans.map((p) => p.source.name),
    ...(Object.keys(byTable).length ? { completeThroughByTable: byTable } : {}),
  };
}

const plannedFiles = (plans: SourcePlan[]): PlannedFile[] =>
  plans
    .flatMap((p) => p.files)
    .sort((a, b) => LOAD_ORDER.indexOf(a.table) - LOAD_ORDER.indexOf(b.table) || a.index - b.index);

export interface SyncOptions {
  only?: string[];
  /** Every synced table is complete through this date (a source's own complete_through wins for it). */
  completeThrough?: string;
  fullRefresh?: boolean;
  who?: string;
  onProgress?: ImportOptions['onProgress'];
}

function failIfProblems(planned: PlannedSources): void {
  if (!planned.problems.length) return;
  throw new BearingError(
    'sources-invalid',
    `the sources have ${planned.problems.length} problem${planned.problems.length === 1 ? '' : 's'}; nothing was ` +
      'changed (bearing sources check shows them)',
    { problems: planned.problems },
  );
}

/**
 * A full refresh deletes the stored rows its sources no longer give, and stored rows do not
 * remember which source gave them: so it may run only over every source of each table it writes.
 * Refreshing crm_a alone would delete crm_b's rows (and uploaded ones) without anyone naming them.
 */
function refreshesWholeTables(planned: PlannedSources): void {
  const named = new Set(planned.plans.map((p) => p.source.name));
  const all = planned.files.flatMap((f) => f.sources);
  for (const table of new Set(planned.plans.map((p) => p.source.table))) {
    const ofTable = all.filter((s) => s.table === table).map((s) => s.name);
    const others = ofTable.filter((name) => !named.has(name));
    if (others.length)
      throw new BearingError(
        'usage',
        `a full refresh of ${table} replaces the whole table, and ${others.join(', ')} also ` +
          `${others.length === 1 ? 'feeds' : 'feed'} it: name every source of ${table} (${ofTable.join(', ')}) or ` +
          'sync without --full-refresh; nothing was changed',
      );
  }
}

/** A sync's report: what landed, and each source left out with its first problems. */
export interface SyncReport extends ImportReport {
  skipped: Array<{ source: string; problems: string[] }>;
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(keyOf(item), [...(out.get(keyOf(item)) ?? []), item]);
  return out;
}

const problemsOfSource = (planned: PlannedSources, plan: SourcePlan) =>
  planned.problems
    .filter((x) => x.file === plan.source.file && x.field.startsWith(`sources.${plan.source.index}`))
    .map(formatProblem);

/**
 * Import every source (or the named ones), each all or nothing: a source whose definition or data
 * has a problem is left out, named with its first problems (and recorded as a failed sync of its
 * own), and the others are imported in one transaction. One failing source once blocked every
 * other one. When every source fails, nothing is imported and the whole report is the error.
 */
export async function syncSources(
  db: Database,
  workspace: Workspace,
  settings: Settings,
  options: SyncOptions = {},
): Promise<SyncReport> {
  const planned = await db.read((s) => planSources(s, workspace, settings, options.only));
  const skipped: SyncReport['skipped'] = [];
  let plans = planned.plans.filter((plan) => {
    const problems = problemsOfSource(planned, plan);
    if (problems.length) skipped.push({ source: plan.source.name, problems: problems.slice(0, 3) });
    return !problems.length;
  });
  // A problem of a whole sources file (its YAML) leaves out every source in it: named by the file.
  const placed = new Set(planned.plans.flatMap((plan) => problemsOfSource(planned, plan)));
  for (const [file, problems] of groupBy(
    planned.problems.filter((x) => !placed.has(formatProblem(x))),
    (x) => x.file,
  ))
    skipped.push({ source: file, problems: problems.slice(0, 3).map(formatProblem) });
  if (!plans.length) {
    failIfProblems(planned);
    throw new BearingError('import-no-files', `no sources to sync (add a sources file under sources/)`);
  }
  if (options.fullRefresh) refreshesWholeTables({ ...planned, plans: planned.plans });
  for (;;) {
    try {
      const report = await importPlannedFiles(db, plannedFiles(plans), {
        ...importOptionsOf(plans, settings, options.completeThrough),
        fullRefresh: options.fullRefresh,
        who: options.who,
        onProgress: options.onProgress,
      });
      await recordSkipped(db, skipped, options);
      return { ...report, skipped };
    } catch (error) {
      if (!(error instanceof BearingError) || error.code !== 'import-rejected') throw error;
      // The sources whose files the problems name are left out, and the rest tried again.
      const report = error.details as ImportReport;
      const lines = formatProblems(report);
      const sourceOf = new Map(plans.flatMap((p) => p.files.map((f) => [f.label, p.source.name] as const)));
      const failing = new Set(report.problems.map((x) => sourceOf.get(x.file)).filter((n): n is string => !!n));
      if (!failing.size || failing.size === plans.length) {
        if (skipped.length) await recordSkipped(db, skipped, options);
        throw error;
      }
      for (const name of failing) {
        const files = plans.find((p) => p.source.name === name)!.files.map((f) => f.label);
        const mine = lines.filter((l) => files.some((f) => l.startsWith(`${f}:`)));
        skipped.push({ source: name, problems: mine.slice(0, 3) });
      }
      plans = plans.filter((p) => !failing.has(p.source.name));
    }
  }
}

/** Each source left out is recorded as a failed sync of its own: its status on the Data page says so. */
async function recordSkipped(db: Database, skipped: SyncReport['skipped'], options: SyncOptions): Promise<void> {
  for (const s of skipped)
    await recordImport(db, {
      at: new Date().toISOString(),
      who: options.who ?? 'cli',
      kind: 'sync',
      method: null,
      ok: false,
      full_refresh: options.fullRefresh === true,
      sources: [s.source],
      files: [],
      tables: [],
      problems: s.problems,
    });
}

export interface SourcePreview {
  name: string;
  table: ContractTable;
  files: string[];
  columns: string[];
  rows: Row[];
}

export interface SourcesCheck {
  ok: boolean;
  /** Problems of the sources files (file:line:col). */
  problems: Problem[];
  /** Problems of the data, by data file and line (as an import reports them). */
  data_problems: string[];
  /** What a sync would do (a rolled-back run), when nothing stopped it. */
  report: ImportReport | null;
  previews: SourcePreview[];
}

/** Every source checked against its files without importing, with the first mapped rows of each. */
export async function checkSources(
  db: Database,
  workspace: Workspace,
  settings: Settings,
  options: { only?: string[]; preview?: number; overrides?: Record<string, string> } = {},
): Promise<SourcesCheck> {
  const planned = await db.read((s) => planSources(s, workspace, settings, options.only, options.overrides));
  const n = Math.max(0, Math.min(100, options.preview ?? 5));
  const previews = await db.read(async (s) => {
    const out: SourcePreview[] = [];
    for (const plan of planned.plans) {
      const first = plan.files[0]?.mapped;
      // The unnumbered read: numbering lines costs a pass over the whole file, a preview needs n rows.
      const rows = first && n ? await s.all(`SELECT * FROM (${first.fastSql}) LIMIT ${n}`, first.params) : [];
      out.push({
        name: plan.source.name,
        table: plan.source.table,
        files: plan.files.map((f) => f.label),
        columns: first?.columns ?? [],
        rows,
      });
    }
    return out;
  });
  if (planned.problems.length || !planned.plans.length)
    return { ok: !planned.problems.length, problems: planned.problems, data_problems: [], report: null, previews };
  try {
    const report = await importPlannedFiles(db, plannedFiles(planned.plans), {
      ...importOptionsOf(planned.plans, settings),
      dryRun: true,
    });
    return { ok: true, problems: [], data_problems: [], report, previews };
  } catch (error) {
    if (!(error instanceof BearingError) || error.code !== 'import-rejected') throw error;
    const report = error.details as ImportReport;
    return { ok: false, problems: [], data_problems: formatProblems(report), report: null, previews };
  }
}
