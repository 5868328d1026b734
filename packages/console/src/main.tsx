import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ConnectorsPage } from './pages/connectors-page';
import { DoraPage } from './pages/dora-page';
import { RunsPage } from './pages/runs-page';
import './style.css';

const PAGES = [
  { path: 'connectors', title: 'Connectors' },
  { path: 'runs', title: 'Runs' },
  { path: 'dora', title: 'DORA' },
] as const;

function currentRoute(): string[] {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return parts.length > 0 && !parts[0]!.startsWith('token=') ? parts : ['connectors'];
}

function App() {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const onChange = () => setRoute(currentRoute());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  const [page, ...rest] = route;
  useEffect(() => {
    const title = PAGES.find((entry) => entry.path === page)?.title ?? 'Not found';
    document.title = `${title} · Lake console`;
  }, [page]);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span class="brand">Lake console</span>
        <nav aria-label="Pages">
          {PAGES.map((entry) => (
            <a key={entry.path} href={`#/${entry.path}`} aria-current={entry.path === page ? 'page' : undefined}>
              {entry.title}
            </a>
          ))}
        </nav>
        <span class="muted">read-only</span>
      </header>
      <main id="main" tabIndex={-1}>
        {page === 'connectors' && <ConnectorsPage />}
        {page === 'runs' && <RunsPage />}
        {page === 'dora' && <DoraPage project={rest[0] ?? null} />}
        {!PAGES.some((entry) => entry.path === page) && <h1>Not found</h1>}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
