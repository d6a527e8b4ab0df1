import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, preloadPage } from './App.tsx';
import { goalQuery, goalsQuery, healthQuery } from './lib/queries.ts';
import './styles.css';

const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1 } } });
// The first screen's answers are asked for before React draws anything: on a slow device the
// app's code takes a few hundred milliseconds to start, and the requests need not wait for it.
void queryClient.prefetchQuery(healthQuery());
const path = window.location.pathname;
preloadPage(path);
if (path === '/') void queryClient.prefetchQuery(goalsQuery());
const goal = /^\/goals\/([^/]+)$/.exec(path)?.[1];
if (goal) void queryClient.prefetchQuery(goalQuery(decodeURIComponent(goal)));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
