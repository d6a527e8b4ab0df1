// A worker thread of the offload pool (metrics/offload/pool.ts): runs one task at a time and
// posts its result, its progress and its error back. Written in JavaScript so that it can load
// its tasks itself: from the bundle the `bearing` command runs from (api/bin/bundle.js, named in
// BEARING_BUNDLE_DIR), or through tsx, since a worker does not inherit the main thread's loader.
import { parentPort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

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
