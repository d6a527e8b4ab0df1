// A worker thread of the offload pool (metrics/offload/pool.ts): runs one task at a time and
// posts its result, its progress and its error back. Written in JavaScript so that it can load
// its tasks itself: from the bundle the `bearing` command runs from (api/bin/bundle.js, named in
// BEARING_BUNDLE_DIR), or through tsx, since a worker does not inherit the main thread's loader.
import { getPriority, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

// Fits and comparisons yield the CPU to the thread that answers requests: on two cores, with a
// fit, a comparison and DuckDB's threads all runnable, the event loop's thread was sometimes
// descheduled for 200–270 ms (a health check's worst wait), though nothing blocked it. On Linux a
// thread's nice value is its own, so this lowers this worker thread alone (10 below the thread that
// made it); elsewhere it would lower the whole process, so it is left alone there. Measured by
// test/reliability/freeze.test.ts alone, four runs each: the worst health check 64–176 ms before,
// 74–102 ms after, while the event loop's own worst delay stayed 32–81 ms (nothing blocks it).
if (process.platform === 'linux') {
  try {
    setPriority(0, Math.min(19, getPriority(0) + 10));
  } catch {
    // not allowed here: the worker runs at the server's priority, as before
  }
}

async function loadTasks() {
  const bundle = process.env.BEARING_BUNDLE_DIR;
  if (bundle) return (await import(pathToFileURL(`${bundle}/tasks.mjs`).href)).TASKS;
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('./tasks.ts')).TASKS;
}
const TASKS = await loadTasks();

parentPort.on('message', async ({ id, task, input }) => {
  const progress = (share) => parentPort.postMessage({ id, type: 'progress', share });
  try {
    const result = await TASKS[task](input, progress);
    parentPort.postMessage({ id, type: 'done', result });
  } catch (error) {
    const code = error && typeof error.code === 'string' ? error.code : undefined;
    const message = error instanceof Error ? error.message : String(error);
    parentPort.postMessage({ id, type: 'error', name: error?.name, code, message, details: error?.details });
  }
});
parentPort.postMessage({ type: 'ready' });
