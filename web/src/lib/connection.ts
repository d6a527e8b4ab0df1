// Whether the server answers: every request through bodyOf reports here, so a page can say that
// what it shows may be out of date instead of showing old figures as if they were current.
import { useSyncExternalStore } from 'react';

export interface Connection {
  /** False after a request could not reach the server, until one does again (or the browser is offline). */
  reachable: boolean;
  /** When the server last answered (ms since epoch), or null before any answer. */
  lastAnswer: number | null;
}

let state: Connection = { reachable: true, lastAnswer: null };
const listeners = new Set<() => void>();

function set(next: Connection): void {
  if (next.reachable === state.reachable && next.lastAnswer === state.lastAnswer) return;
  state = next;
  for (const l of listeners) l();
}

export const reportAnswer = () => set({ reachable: true, lastAnswer: Date.now() });
export const reportUnreachable = () => set({ ...state, reachable: false });

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const online = () => listener();
  window.addEventListener('online', online);
  window.addEventListener('offline', online);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('online', online);
    window.removeEventListener('offline', online);
  };
}

const snapshot = () => state;

/** The connection as last seen, and whether the browser itself says it is offline. */
export function useConnection(): Connection & { browserOffline: boolean } {
  const connection = useSyncExternalStore(subscribe, snapshot);
  return { ...connection, browserOffline: typeof navigator !== 'undefined' && navigator.onLine === false };
}

/** What a page says when the server cannot be reached (a bare "Failed to fetch" says nothing). */
export const UNREACHABLE =
  'Cannot reach the Bearing server: check your connection, or whether the server is running. Nothing was changed.';
