// Heavy statistics (mix fits, channel comparisons, goal assessments, backtests) run here, on a
// small pool of worker threads, never on the event loop that answers requests: one fit used to
// hold every request for 5–90 s. Each task has a time limit (the worker is terminated, which
// stops even a tight loop), the pool's queue is bounded in all and per caller, work still queued
// is dropped when its client disconnects, and close() stops everything at once (shutdown).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { BearingError } from '../../data/errors.ts';
import { isErrorCode } from '../../data/codes.ts';
import { currentCaller } from './caller.ts';
import { TASKS, type TaskInput, type TaskName, type TaskOutput } from './tasks.ts';

export interface PoolOptions {
  /** Worker threads (0: run in this thread, for debugging). */
  workers: number;
  /** Time limit of one task, queueing excluded (ms). */
  timeoutMs: number;
  /** Tasks waiting in all, beyond the running ones. */
  maxQueued: number;
  /** Tasks queued or running per caller (anonymous callers share one count). */
  perCaller: number;
  /** V8 heap limit of each worker (MB): a runaway computation fails alone. */
  memoryMb: number;
}

interface Job {
  id: number;
  task: TaskName;
  input: unknown;
  caller: string;
  progress?: (share: number) => void;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  job: Job | null;
}

type Reply =
  | { type: 'ready' }
  | { id: number; type: 'progress'; share: number }
  | { id: number; type: 'done'; result: unknown }
  | { id: number; type: 'error'; name?: string; code?: string; message: string; details?: unknown };

const WORKER_URL = new URL('./worker.js', import.meta.url);

export class OffloadPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly perCaller = new Map<string, number>();
  private nextId = 1;
  private closed = false;

  constructor(readonly options: PoolOptions) {}

  /** What the pool is doing now (health, tests). */
  get stats(): { workers: number; running: number; queued: number } {
    return { workers: this.slots.length, running: this.slots.filter((s) => s.job).length, queued: this.queue.length };
  }

  run<K extends TaskName>(
    task: K,
    input: TaskInput<K>,
    options: { progress?: (share: number) => void } = {},
  ): Promise<TaskOutput<K>> {
    if (this.closed) return Promise.reject(new BearingError('shutting-down', 'the server is stopping'));
    if (this.options.workers <= 0) return this.inThread(task, input, options.progress);
    const { caller, signal } = currentCaller();
    const mine = this.perCaller.get(caller) ?? 0;
    if (mine >= this.options.perCaller)
      return Promise.reject(
        new BearingError(
          'too-many-requests',
          `${mine} computations asked for by ${caller === 'anonymous' ? 'anonymous readers' : 'you'} are still ` +
            'running or waiting; try again when they finish ' +
            `(limit BEARING_COMPUTE_PER_CALLER=${this.options.perCaller})`,
        ),
      );
    if (this.queue.length >= this.options.maxQueued)
      return Promise.reject(
        new BearingError('server-busy', `the server is busy with ${this.queue.length} computations; try again shortly`),
      );
    return new Promise<TaskOutput<K>>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        task,
        input,
        caller,
        progress: options.progress,
        resolve: resolve as (value: unknown) => void,
        reject,
      };
      this.perCaller.set(caller, mine + 1);
      // A client that left no longer needs work that has not started; work already running
      // finishes (within its time limit) and is cached for the retry.
      signal?.addEventListener('abort', () => this.dropQueued(job), { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /**
   * `run`, but when the caller's share or the queue is full it waits for room (up to `maxWaitMs`,
   * and only while its client is still there) instead of refusing. For the later parts of work
   * already admitted: a streamed answer whose first part was accepted is not cut part way because
   * other requests filled the pool in between; it waits its turn, using no compute while it waits.
   */
  async runWhenFree<K extends TaskName>(
    task: K,
    input: TaskInput<K>,
    options: { progress?: (share: number) => void; maxWaitMs?: number } = {},
  ): Promise<TaskOutput<K>> {
    const until = performance.now() + (options.maxWaitMs ?? this.options.timeoutMs);
    const { signal } = currentCaller();
    for (let pause = 50; ; pause = Math.min(2 * pause, 1000)) {
      try {
        return await this.run(task, input, options);
      } catch (error) {
        const full =
          error instanceof BearingError && (error.code === 'too-many-requests' || error.code === 'server-busy');
        if (!full || signal?.aborted || performance.now() + pause > until) throw error;
      }
      await new Promise((resume) => setTimeout(resume, pause));
    }
  }

  /** Terminate every worker and fail every task (the server is stopping). */
  async close(): Promise<void> {
    this.closed = true;
    const stopping = new BearingError('shutting-down', 'the server is stopping');
    for (const job of this.queue.splice(0)) this.settle(job, stopping);
    await Promise.all(
      this.slots.splice(0).map((slot) => {
        if (slot.job) this.settle(slot.job, stopping);
        return slot.worker.terminate();
      }),
    );
  }

  private async inThread<K extends TaskName>(task: K, input: TaskInput<K>, progress?: (share: number) => void) {
    const run = TASKS[task] as (input: unknown, progress: (share: number) => void) => unknown;
    return (await run(input, progress ?? (() => undefined))) as TaskOutput<K>;
  }

  private dropQueued(job: Job): void {
    const at = this.queue.indexOf(job);
    if (at < 0) return;
    this.queue.splice(at, 1);
    this.settle(job, new BearingError('cancelled', 'the client went away before this computation started'));
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.options.workers) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      this.start(slot, job);
    }
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    job.timer = setTimeout(() => {
      this.settle(
        job,
        new BearingError(
          'compute-timeout',
          `the computation ran longer than ${Math.round(this.options.timeoutMs / 1000)} s and was stopped; narrow ` +
            `the request or raise BEARING_COMPUTE_TIMEOUT`,
        ),
      );
      this.replace(slot);
    }, this.options.timeoutMs);
    void slot.ready.then(() => {
      if (slot.job === job) slot.worker.postMessage({ id: job.id, task: job.task, input: job.input });
    });
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb } });
    let ready!: () => void;
    const slot: Slot = { worker, ready: new Promise<void>((r) => (ready = r)), job: null };
    worker.on('message', (reply: Reply) => {
      if (reply.type === 'ready') return ready();
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      if (reply.type === 'progress') return job.progress?.(reply.share);
      slot.job = null;
      worker.unref();
      if (reply.type === 'done') this.settle(job, null, reply.result);
      else this.settle(job, rebuildError(reply));
      this.pump();
    });
    worker.on('error', (error) => {
      if (slot.job) this.settle(slot.job, workerFailure(error));
      this.replace(slot);
    });
    worker.on('exit', () => {
      if (this.slots.includes(slot)) {
        if (slot.job) this.settle(slot.job, new BearingError('internal', 'a computation worker stopped unexpectedly'));
        this.replace(slot);
      }
    });
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  /** A worker that timed out or died is terminated and its place freed; queued work goes on. */
  private replace(slot: Slot): void {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    slot.job = null;
    void slot.worker.terminate();
    if (!this.closed) this.pump();
  }

  private settle(job: Job, error: Error | null, result?: unknown): void {
    if (job.timer) clearTimeout(job.timer);
    job.timer = undefined;
    const n = (this.perCaller.get(job.caller) ?? 1) - 1;
    if (n > 0) this.perCaller.set(job.caller, n);
    else this.perCaller.delete(job.caller);
    // Settling twice (a timeout, then the exit it causes) does nothing the second time.
    const { resolve, reject } = job;
    job.resolve = () => undefined;
    job.reject = () => undefined;
    if (error) reject(error);
    else resolve(result);
  }
}

function rebuildError(reply: Extract<Reply, { type: 'error' }>): Error {
  if (reply.name === 'BearingError' && isErrorCode(reply.code))
    return new BearingError(reply.code, reply.message, reply.details);
  const error = new Error(reply.message);
  if (reply.name) error.name = reply.name;
  return error;
}

function workerFailure(error: Error): Error {
  if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY')
    return new BearingError('out-of-memory', 'the computation needed more memory than a worker may use');
  return error;
}

const envNumber = (name: string, fallback: number) => {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? Number.NaN : Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
};

/** The pool's settings from the environment (README "Server settings"). */
export function poolOptionsFromEnv(): PoolOptions {
  return {
    // One core is left to the event loop and DuckDB; at least one worker.
    workers: Math.floor(envNumber('BEARING_WORKERS', Math.max(1, Math.min(4, availableParallelism() - 1)))),
    timeoutMs: envNumber('BEARING_COMPUTE_TIMEOUT', 180) * 1000,
    maxQueued: Math.max(1, Math.floor(envNumber('BEARING_COMPUTE_QUEUE', 32))),
    perCaller: Math.max(1, Math.floor(envNumber('BEARING_COMPUTE_PER_CALLER', 6))),
    memoryMb: Math.max(64, envNumber('BEARING_WORKER_MEMORY_MB', 1536)),
  };
}

let shared: OffloadPool | null = null;

/** The process's pool, made on first use. */
export function sharedPool(): OffloadPool {
  shared ??= new OffloadPool(poolOptionsFromEnv());
  return shared;
}

/** Run a task of metrics/offload/tasks.ts off the event loop. */
export function offload<K extends TaskName>(
  task: K,
  input: TaskInput<K>,
  options: { progress?: (share: number) => void } = {},
): Promise<TaskOutput<K>> {
  return sharedPool().run(task, input, options);
}

/** `offload` for the later parts of admitted work: waits for room instead of refusing (`runWhenFree`). */
export function offloadWhenFree<K extends TaskName>(task: K, input: TaskInput<K>): Promise<TaskOutput<K>> {
  return sharedPool().runWhenFree(task, input);
}

/** Stop the process's pool (shutdown); a later offload makes a new one. */
export async function closeSharedPool(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}
