// Who asked for the work being done now, carried through every await of a request without
// threading it through each function: the offload pool counts queued work per caller with it,
// and drops work still waiting when its client has gone.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CallerContext {
  /** A token's id, or "anonymous" for every caller without one (they share one budget). */
  caller: string;
  /** Aborts when the client disconnects. */
  signal?: AbortSignal;
}

export const callerContext = new AsyncLocalStorage<CallerContext>();

export const currentCaller = (): CallerContext => callerContext.getStore() ?? { caller: 'local' };
