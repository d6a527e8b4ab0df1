import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { ConnectionBanner, PageBoundary } from './components/Resilience.tsx';
import { SampleBanner } from './components/SampleBanner.tsx';
import { useScrollableRegions } from './lib/scrollRegions.ts';
import { SignIn } from './components/SignIn.tsx';
import { Loading } from './components/States.tsx';

// Each page is its own chunk, so the first screen loads only what it draws.
const HeadingPage = lazy(() => import('./pages/HeadingPage.tsx'));
const GoalPage = lazy(() => import('./pages/GoalPage.tsx'));
const ChannelsPage = lazy(() => import('./pages/ChannelsPage.tsx'));
const MixPage = lazy(() => import('./pages/MixPage.tsx'));
const MetricsPage = lazy(() => import('./pages/MetricsPage.tsx'));
const MetricPage = lazy(() => import('./pages/MetricPage.tsx'));
const DataPage = lazy(() => import('./pages/DataPage.tsx'));
const DigestPage = lazy(() => import('./pages/DigestPage.tsx'));

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
