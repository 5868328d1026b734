import { useState } from 'preact/hooks';
import { LoadedView } from '../loaded-view';
import { useApi } from '../use-api';

interface InstalledPackage {
  name: string;
  kind: 'connector' | 'metric';
  version: string | null;
  source: string;
  pinnedBy: string;
  installed: boolean;
  signature: { signed: boolean; keys: string[] };
  verify: { ok: boolean; problems: string[] } | null;
}

interface OutdatedReport {
  rows?: Array<{ name: string; kind: string; wanted?: string; latest?: string; notes: string[] }>;
  error?: { code: string; message: string };
}

interface CatalogStream {
  name: string;
  kind: string;
  incremental: boolean;
  domainTables: string[];
}

interface CatalogConnector {
  name: string;
  version: string;
  support: string;
  description: string;
  domainTypes: string[];
  streams: CatalogStream[];
  settings: Record<string, { properties?: Record<string, { type?: string; description?: string }> }>;
  secretFields: string[];
  installed: string | null;
}

export function ConnectorsPage() {
  const installed = useApi<InstalledPackage[]>('api/connectors');
  const outdated = useApi<OutdatedReport>('api/outdated');
  return (
    <>
      <h1>Connectors</h1>
      <section aria-labelledby="installed-heading">
        <h2 id="installed-heading">Installed connectors and metrics</h2>
        <LoadedView
          loaded={installed}
          what="installed packages"
          render={(rows) => (
            <InstalledTable rows={rows} outdated={outdated.state === 'ready' ? outdated.value : null} />
          )}
        />
        {outdated.state === 'loading' && (
          <p class="muted" role="status">
            Asking the registry what is outdated…
          </p>
        )}
        {outdated.state === 'ready' && outdated.value.error && (
          <p class="failure">lake outdated: {outdated.value.error.message}</p>
        )}
      </section>
      <Catalog />
    </>
  );
}

function InstalledTable(props: { rows: InstalledPackage[]; outdated: OutdatedReport | null }) {
  if (props.rows.length === 0) return <p>Nothing installed (lake install).</p>;
  const notesOf = (row: InstalledPackage) => {
    if (!props.outdated) return '…';
    const found = props.outdated.rows?.find((entry) => entry.name === row.name && entry.kind === row.kind);
    return found ? found.notes.join('; ') || 'up to date' : '–';
  };
  return (
    <table data-table="installed">
      <caption class="visually-hidden">Installed connectors and metrics</caption>
      <thead>
        <tr>
          <th scope="col">Package</th>
          <th scope="col">Version</th>
          <th scope="col">Pinned by</th>
          <th scope="col">Signature</th>
          <th scope="col">Verify</th>
          <th scope="col">Outdated</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={`${row.kind}:${row.name}`} data-package={`${row.kind}:${row.name}`}>
            <th scope="row">
              {row.kind === 'metric' ? 'metric ' : ''}
              {row.name}
            </th>
            <td data-field="version">{row.version ?? '–'}</td>
            <td>{row.pinnedBy}</td>
            <td data-field="signature">
              {row.signature.signed ? `signed (${row.signature.keys.join(', ')})` : 'unsigned'}
            </td>
            <td data-field="verify">
              {row.verify === null
                ? 'not installed'
                : row.verify.ok
                  ? 'ok'
                  : `FAILED: ${row.verify.problems.join('; ')}`}
            </td>
            <td data-field="outdated">{notesOf(row)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Catalog() {
  const [words, setWords] = useState('');
  const catalog = useApi<{ registry: string; connectors: CatalogConnector[] }>('api/catalog');
  return (
    <section aria-labelledby="catalog-heading">
      <h2 id="catalog-heading">Integration registry</h2>
      <label for="catalog-search">Search connectors</label>{' '}
      <input
        id="catalog-search"
        type="search"
        value={words}
        onInput={(event) => setWords((event.target as HTMLInputElement).value)}
      />
      <LoadedView
        loaded={catalog}
        what="the catalog"
        render={(value) => {
          const needle = words.trim().toLowerCase();
          const found = value.connectors.filter((connector) =>
            needle === ''
              ? true
              : JSON.stringify([connector.name, connector.description, connector.domainTypes, connector.streams])
                  .toLowerCase()
                  .includes(needle),
          );
          return (
            <>
              <p class="muted" role="status">
                {found.length} of {value.connectors.length} connectors in @lake/registry {value.registry}
              </p>
              <ul class="catalog">
                {found.map((connector) => (
                  <CatalogEntry key={connector.name} connector={connector} />
                ))}
              </ul>
            </>
          );
        }}
      />
    </section>
  );
}

function CatalogEntry({ connector }: { connector: CatalogConnector }) {
  return (
    <li data-connector={connector.name}>
      <details>
        <summary>
          <strong>{connector.name}</strong> {connector.version} · {connector.support} ·{' '}
          {connector.installed ? `installed ${connector.installed}` : 'not installed'} — {connector.description}
        </summary>
        <h3>Streams</h3>
        <table>
          <thead>
            <tr>
              <th scope="col">Stream</th>
              <th scope="col">Incremental</th>
              <th scope="col">Domain tables</th>
            </tr>
          </thead>
          <tbody>
            {connector.streams.map((stream) => (
              <tr key={stream.name}>
                <th scope="row">{stream.name}</th>
                <td>{stream.incremental ? 'yes' : 'no'}</td>
                <td>{stream.domainTables.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {Object.entries(connector.settings).map(([part, schema]) => (
          <div key={part}>
            <h3>{part} settings</h3>
            <ul>
              {Object.entries(schema.properties ?? {}).map(([name, property]) => (
                <li key={name} data-setting={`${part}.${name}`}>
                  <code>{name}</code> {property.type ? `(${property.type})` : ''}
                  {connector.secretFields.includes(name) && <span class="badge">secret</span>} {property.description}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </details>
    </li>
  );
}
