import { errorCodeOf, formatCount, formatDate, formatDuration } from '../format';
import { LoadedView } from '../loaded-view';
import { useApi } from '../use-api';
import { LiveView } from './live-view';
import { QueuePanel } from './queue-panel';

interface RunRow {
  syncId: string;
  connection: string;
  connector: string;
  scopeId: string;
  stream: string;
  full: boolean;
  startedAt: string;
  finishedAt: string | null;
  records: number;
  status: string;
  error: string;
}

export function RunsPage() {
  const runs = useApi<RunRow[]>('api/runs?limit=200');
  return (
    <>
      <h1>Runs</h1>
      <LiveView />
      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent runs per scope</h2>
        <LoadedView loaded={runs} what="recent runs" render={(rows) => <RunsByScope rows={rows} />} />
      </section>
      <QueuePanel />
    </>
  );
}

function RunsByScope({ rows }: { rows: RunRow[] }) {
  if (rows.length === 0) return <p>No runs yet (lake sync).</p>;
  const scopes = new Map<string, RunRow[]>();
  for (const row of rows) {
    const key = `${row.connection} · ${row.scopeId}`;
    scopes.set(key, [...(scopes.get(key) ?? []), row]);
  }
  return (
    <>
      {[...scopes.entries()].map(([scope, scopeRows]) => (
        <table key={scope} data-scope={scope}>
          <caption>{scope}</caption>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Stream</th>
              <th scope="col">Status</th>
              <th scope="col">Records</th>
              <th scope="col">Duration</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {scopeRows.map((row) => {
              const code = errorCodeOf(row.error);
              return (
                <tr key={`${row.syncId}:${row.stream}`} data-run={`${row.syncId}:${row.stream}`}>
                  <td>{formatDate(row.startedAt)}</td>
                  <th scope="row">
                    {row.stream}
                    {row.full ? ' (full)' : ''}
                  </th>
                  <td data-field="status" class={`status-${row.status}`}>
                    {row.status}
                  </td>
                  <td data-field="records" class="number">
                    {formatCount(row.records)}
                  </td>
                  <td>
                    {row.finishedAt
                      ? formatDuration(new Date(row.finishedAt).getTime() - new Date(row.startedAt).getTime())
                      : '–'}
                  </td>
                  <td>
                    {code && <code class="badge">{code}</code>} {row.error}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
    </>
  );
}
