// A worker thread of the offload pool (metrics/offload/pool.ts): runs one task at a time and
// posts its result, its progress and its error back. Written in JavaScript so that it can
// register tsx itself: a worker does not inherit the loader the main thread was started with.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { TASKS } = await import('./tasks.ts');

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
