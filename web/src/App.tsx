import { lazy, Suspense } from 'react';
import { Link, Route, Switch } from 'wouter';
import { Loading } from './components/States.tsx';

const DataPage = lazy(() => import('./pages/DataPage.tsx'));

export function App() {
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/" className="brand" aria-label="Bearing home">
          <img src="/favicon.svg" alt="" width={24} height={24} /> Bearing
        </Link>
        <nav aria-label="Main">
          <Link href="/data">Data</Link>
        </nav>
      </header>
      <main id="main">
        <Suspense fallback={<Loading what="page" />}>
          <Switch>
            <Route path="/data" component={DataPage} />
            <Route component={DataPage} />
          </Switch>
        </Suspense>
      </main>
    </div>
  );
}
