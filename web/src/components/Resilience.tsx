// What the app does when something fails: an error boundary around every page (a page that throws,
// or whose code cannot be fetched, says so with a way out instead of leaving a white screen), and a
// banner whenever the server cannot be reached, saying the figures on screen may be out of date.
import { useQueryClient } from '@tanstack/react-query';
import { Component, type ReactNode } from 'react';
import { useConnection } from '../lib/connection.ts';

interface BoundaryState {
  error: Error | null;
}

/** A page's code that could not be fetched: the server is down, or a new version replaced it. */
const isChunkFailure = (e: Error) =>
  /dynamically imported module|Importing a module script failed|error loading dynamically imported/i.test(e.message);

export class PageBoundary extends Component<{ children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { error: null };

  static getDerivedStateFromError(error: Error): BoundaryState {
    return { error };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const chunk = isChunkFailure(error);
    return (
      <section className="state error" role="alert" data-testid="page-error">
        <h1>This page could not be shown</h1>
        <p>
          {chunk
            ? 'Its code could not be fetched: the server may be unreachable, or Bearing was updated since this tab ' +
              'opened.'
            : `Something went wrong while drawing it: ${error.message}`}
        </p>
        <p>
          {chunk ? (
            <button type="button" onClick={() => window.location.reload()}>
              Reload the app
            </button>
          ) : (
            <button type="button" onClick={() => this.setState({ error: null })}>
              Try again
            </button>
          )}{' '}
          <a href="/">Back to the heading</a>
        </p>
      </section>
    );
  }
}

const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function ConnectionBanner() {
  const { reachable, lastAnswer, browserOffline } = useConnection();
  const client = useQueryClient();
  if (reachable && !browserOffline) return null;
  return (
    <aside className="state warn offline" role="status" aria-label="Connection" data-testid="offline-banner">
      <strong>{browserOffline ? 'You are offline.' : 'The Bearing server cannot be reached.'}</strong>{' '}
      {lastAnswer
        ? `Figures on screen are from ${time(lastAnswer)} and may be out of date; changes cannot be saved.`
        : 'Nothing could be loaded yet.'}{' '}
      <button type="button" onClick={() => void client.refetchQueries({ type: 'active' })}>
        Try again
      </button>
    </aside>
  );
}
