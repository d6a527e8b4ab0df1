import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { ConnectionBanner, PageBoundary } from './components/Resilience.tsx';
import { SampleBanner } from './components/SampleBanner.tsx';
import { useScrollableRegions } from './lib/scrollRegions.ts';
import { SignIn } from './components/SignIn.tsx';
import { Loading } from './components/States.tsx';

// The heading is the first screen: in the entry chunk, not a second round trip. Every other page
// is its own chunk, so the first screen loads only what it draws.
import HeadingPage from './pages/HeadingPage.tsx';

const LOADERS = {
  goal: () => import('./pages/GoalPage.tsx'),
  channels: () => import('./pages/ChannelsPage.tsx'),
  mix: () => import('./pages/MixPage.tsx'),
  budget: () => import('./pages/BudgetPage.tsx'),
  glossary: () => import('./pages/GlossaryPage.tsx'),
  metrics: () => import('./pages/MetricsPage.tsx'),
  metric: () => import('./pages/MetricPage.tsx'),
  data: () => import('./pages/DataPage.tsx'),
  digest: () => import('./pages/DigestPage.tsx'),
};
const GoalPage = lazy(LOADERS.goal);
const ChannelsPage = lazy(LOADERS.channels);
const MixPage = lazy(LOADERS.mix);
const BudgetPage = lazy(LOADERS.budget);
const GlossaryPage = lazy(LOADERS.glossary);
const MetricsPage = lazy(LOADERS.metrics);
const MetricPage = lazy(LOADERS.metric);
const DataPage = lazy(LOADERS.data);
const DigestPage = lazy(LOADERS.digest);

/** Start fetching the code of the page a link opens on before React has drawn anything (the same module later). */
export function preloadPage(path: string): void {
  const [, first, second] = path.split('/');
  const page =
    first === 'goals'
      ? 'goal'
      : first === 'metrics'
        ? second
          ? 'metric'
          : 'metrics'
        : (first as keyof typeof LOADERS);
  // A failure here is met again, and shown, when the page itself asks for the module.
  if (page in LOADERS) LOADERS[page as keyof typeof LOADERS]().catch(() => undefined);
}

function NavLink({ href, children }: { href: string; children: React.ReactNode }) {
  const [location] = useLocation();
  const active = href === '/' ? location === '/' || location.startsWith('/goals') : location.startsWith(href);
  return (
    <Link href={href} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

export function App() {
  // Pages drawn before the workspace's currency was known are drawn again in it.
  const [currency, setCurrency] = useState('USD');
  const [location] = useLocation();
  // On a phone the navigation folds behind a Menu button, and folds again once a page is chosen.
  const [menuOpen, setMenuOpen] = useState(false);
  useScrollableRegions();
  // biome-ignore lint/correctness/useExhaustiveDependencies: closing on every change of page is the point
  useEffect(() => setMenuOpen(false), [location]);
  return (
    <div className="shell">
      <a href="#main" className="skip">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand" aria-label="Bearing home">
          <img src="/favicon.svg" alt="" width={24} height={24} /> Bearing
        </Link>
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          {menuOpen ? 'Close menu' : 'Menu'}
        </button>
        <nav aria-label="Main" id="main-nav" className={menuOpen ? 'open' : undefined}>
          <NavLink href="/">Heading</NavLink>
          <NavLink href="/channels">Channels</NavLink>
          <NavLink href="/mix">Mix</NavLink>
          <NavLink href="/budget">Budget</NavLink>
          <NavLink href="/metrics">Metrics</NavLink>
          <NavLink href="/digest">Digest</NavLink>
          <NavLink href="/data">Data</NavLink>
        </nav>
        <SignIn />
      </header>
      <ConnectionBanner />
      <SampleBanner onCurrency={setCurrency} />
      <main id="main" key={currency}>
        {/* Keyed by the path: another page starts without the last page's error. */}
        <PageBoundary key={location.split('?')[0]}>
          <Suspense fallback={<Loading what="page" />}>
            <Switch>
              <Route path="/">{() => <HeadingPage />}</Route>
              <Route path="/goals/:id">{(p) => <GoalPage id={p.id} />}</Route>
              <Route path="/channels">{() => <ChannelsPage />}</Route>
              <Route path="/mix">{() => <MixPage />}</Route>
              <Route path="/budget">{() => <BudgetPage />}</Route>
              <Route path="/glossary">{() => <GlossaryPage />}</Route>
              <Route path="/metrics">{() => <MetricsPage />}</Route>
              <Route path="/metrics/:name">{(p) => <MetricPage name={p.name} />}</Route>
              <Route path="/data">{() => <DataPage />}</Route>
              <Route path="/digest">{() => <DigestPage />}</Route>
              <Route>
                <section>
                  <h1>Not found</h1>
                  <p>
                    There is no page here. <Link href="/">Back to the heading</Link>.
                  </p>
                </section>
              </Route>
            </Switch>
          </Suspense>
        </PageBoundary>
      </main>
    </div>
  );
}
