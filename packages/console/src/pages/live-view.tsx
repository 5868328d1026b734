import { useEffect, useState } from 'preact/hooks';
import { liveEvents } from '../api';
import { formatCount, formatDate, formatDuration } from '../format';

interface LiveStream {
  stream: string;
  status: string;
  records: number;
  total: number | null;
  elapsedMs: number;
}

interface LiveSync {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'finished' | 'interrupted';
  scopes: Array<{ connection: string; scopeId: string; status: string; streams: LiveStream[] }>;
}

/** The syncs `lake sync` is running (and the last ones it ran), as the server streams them. */
export function LiveView() {
  const [syncs, setSyncs] = useState<LiveSync[] | null>(null);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const events = liveEvents();
    events.addEventListener('live', (event) => {
      setSyncs(JSON.parse((event as MessageEvent<string>).data) as LiveSync[]);
      setConnected(true);
    });
    events.onerror = () => setConnected(false);
    return () => events.close();
  }, []);
  return (
    <section aria-labelledby="live-heading">
      <h2 id="live-heading">Live syncs</h2>
      <p class="muted" role="status" data-live-connection={connected ? 'open' : 'closed'}>
        {connected ? 'Following syncs as they run.' : 'Connecting to the live view…'}
      </p>
      {syncs !== null && syncs.length === 0 && <p>No sync has run recently.</p>}
      <div aria-live="polite">
        {syncs?.map((sync) => (
          <article key={sync.id} class="live-sync" data-live-sync={sync.id} data-status={sync.status}>
            <h3>
              Sync started {formatDate(sync.startedAt)} — <span data-field="sync-status">{sync.status}</span>
              {sync.finishedAt ? `, finished ${formatDate(sync.finishedAt)}` : ''}
            </h3>
            {sync.scopes.map((scope) => (
              <div
                key={`${scope.connection}:${scope.scopeId}`}
                data-live-scope={`${scope.connection} · ${scope.scopeId}`}
              >
                <h4>
                  {scope.connection} · {scope.scopeId}: <span data-field="scope-status">{scope.status}</span>
                </h4>
                <ul class="streams">
                  {scope.streams.map((stream) => (
                    <StreamProgress key={stream.stream} stream={stream} />
                  ))}
                </ul>
              </div>
            ))}
          </article>
        ))}
      </div>
    </section>
  );
}

function StreamProgress({ stream }: { stream: LiveStream }) {
  const label = `${stream.stream}: ${formatCount(stream.records)}${stream.total === null ? '' : ` of ${formatCount(stream.total)}`} records, ${stream.status}, ${formatDuration(stream.elapsedMs)}`;
  return (
    <li data-live-stream={stream.stream} data-records={stream.records} data-status={stream.status}>
      <span>{label}</span>{' '}
      <progress
        aria-label={`${stream.stream} progress`}
        max={stream.total ?? undefined}
        value={
          stream.status === 'running' && stream.total === null ? undefined : stream.total === null ? 1 : stream.records
        }
      />
    </li>
  );
}
