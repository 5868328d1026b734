// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureConnector } from './support/fixture-packages.ts';
import type { TestProject } from './support/lake-project.ts';
import {
  installQueueProject,
  openQueueTestBed,
  type QueueTestBed,
  requirePostgresInCi,
} from './support/queue-test-bed.ts';
import { query, queueStatus, startWorker, waitUntil } from './support/queue-workers.ts';

requirePostgresInCi();

const PAGES = 20;
const PAGE_SIZE = 10;
/** The page whose first request the API never answers: the machine is lost while it waits. */
const HELD_PAGE = 15;
/** Each page takes this long: the SDK commits at a checkpoint once a second has passed, so some do before page 15. */
const PAGE_LATENCY_MS = 150;
/** Written literally into lake.yaml's `queue:` URL (the server trusts any password): it must never be printed. */
const QUEUE_PASSWORD = 'queue-pass-4e1f';

/**
 * An API serving `/scopes/<label>/items?page=N` (10 items a page, 20 pages) that logs every page
 * requested and leaves the first request for page 12 unanswered until the test lets it go.
 */
async function startHoldingApi() {
  const requested: number[] = [];
  let held: ServerResponse | undefined;
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const page = Number(url.searchParams.get('page'));
    if (
      request.headers.authorization !== 'Bearer resume-fixture-token' ||
      !/^\/scopes\/[^/]+\/items$/.test(url.pathname)
    ) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"no"}');
      return;
    }
    requested.push(page);
    if (page === HELD_PAGE && held === undefined) {
      held = response;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, PAGE_LATENCY_MS));
    const items = Array.from({ length: PAGE_SIZE }, (_, index) => ({ id: (page - 1) * PAGE_SIZE + index + 1 }));
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ items, next: page < PAGES ? page + 1 : null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requested,
    isHolding: () => held !== undefined,
    release: () => held?.socket?.destroy(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe.skipIf(!process.env.LAKE_TEST_PG_URL)('a job whose machine is lost resumes on another worker', () => {
  let bed: QueueTestBed;
  let project: TestProject;
  let api: Awaited<ReturnType<typeof startHoldingApi>>;
  let directory: string;
  const pidFile = () => join(directory, 'long.pids');

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-resume-'));
    api = await startHoldingApi();
    bed = await openQueueTestBed((sdk) => [
      fixtureConnector({ name: 'qfix', version: '1.0.0', sdk, api: true, resumable: true }),
    ]);
    project = await installQueueProject(
      bed,
      {
        connectors: { qfix: '1.0.0' },
        connections: [
          {
            name: 'api',
            connector: 'qfix',
            id: 1,
            settings: { token: '${QFIX_TOKEN}', url: api.url },
            scopes: [{ id: 'long', scope: { label: 'long', count: 0, pidFile: pidFile() } }],
          },
        ],
        extra: { queue: bed.database.url.replace('://postgres@', `://postgres:${QUEUE_PASSWORD}@`) },
      },
      {
        QFIX_TOKEN: 'resume-fixture-token',
        LAKE_QUEUE_LEASE_SECONDS: '10',
        LAKE_QUEUE_SUPERVISE_SECONDS: '2',
        LAKE_QUEUE_RETRY_DELAY_SECONDS: '1',
      },
    );
    expect(await readFile(join(project.paths.root, 'lake.yaml'), 'utf8')).toContain(QUEUE_PASSWORD);
  }, 240_000);

  afterAll(async () => {
    await bed?.close();
    await api?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('kill -9 of the worker and its connector mid-sync: the retry starts at the last committed page', async () => {
    const enqueued = await project.lake('sync');
    expect(enqueued.code, enqueued.stderr).toBe(0);
    const first = startWorker(project, 1);
    bed.workers.push(first);
    await waitUntil(async () => api.isHolding(), 120_000, `the request for page ${HELD_PAGE}`);
    // The last committed checkpoint names the page to resume from (the SDK commits at a
    // checkpoint once a second has passed since its last commit, so some pages are not yet).
    const savedState = async () => {
      const rows = await query<{ state: string }>(
        bed.database.url,
        "SELECT state FROM _lake_state WHERE connector = 'qfix' AND scope_id = 'long' AND stream = 'items'",
      );
      return rows[0]?.state;
    };
    const [connectorPid] = (await readFile(pidFile(), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => Number(line.split(' ')[1]));
    // The machine is lost: the worker and its connector die at once, the request is cut.
    first.child.kill('SIGKILL');
    process.kill(connectorPid!, 'SIGKILL');
    await first.done;
    api.release();
    // The SDK keeps the stream's own state as `cursor`, with its resume bookkeeping around it.
    const committed = JSON.parse((await savedState()) ?? '{}') as { cursor?: { page: number }; skip?: number };
    const resumeAt = committed.cursor?.page ?? 1;
    expect(resumeAt, 'a checkpoint committed before the machine was lost').toBeGreaterThan(1);
    expect(resumeAt).toBeLessThanOrEqual(HELD_PAGE);
    const rowsAtKill = await query<{ n: number }>(bed.database.url, 'SELECT count(*)::int AS n FROM _tool_qfix_items');
    expect(rowsAtKill[0]!.n).toBe((resumeAt - 1) * PAGE_SIZE + (committed.skip ?? 0));

    const second = startWorker(project, 1);
    bed.workers.push(second);
    await waitUntil(
      async () => {
        const status = await queueStatus(project);
        return status.counts.completed === 1 && status.counts.queued + status.counts.running === 0;
      },
      120_000,
      'the retried job to complete',
    );
    // Pages before the committed checkpoint were read once; from it to the page in flight
    // twice (the retry starts at the checkpoint, not at page 1); the rest once.
    const times = (page: number) => api.requested.filter((requested) => requested === page).length;
    const pages = Array.from({ length: PAGES }, (_, index) => index + 1);
    expect(pages.map((page) => [page, times(page)])).toEqual(
      pages.map((page) => [page, page >= resumeAt && page <= HELD_PAGE ? 2 : 1]),
    );
    const rows = await query<{ n: number; distinct_ids: number }>(
      bed.database.url,
      'SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct_ids FROM _tool_qfix_items',
    );
    expect(rows[0]).toEqual({ n: PAGES * PAGE_SIZE, distinct_ids: PAGES * PAGE_SIZE });
    // A second connector process ran the retry, under the second worker.
    const pids = (await readFile(pidFile(), 'utf8')).trim().split('\n');
    expect(pids).toHaveLength(2);
    expect(second.stderr()).toMatch(/api · long: succeeded/);
    const runs = await query<{ stream: string; status: string }>(
      bed.database.url,
      "SELECT stream, status FROM _lake_runs WHERE scope_id = 'long' ORDER BY started_at",
    );
    // The killed run is not left `running`: the retry's lock takeover marks it interrupted.
    expect(runs).toEqual([
      { stream: 'items', status: 'interrupted' },
      { stream: 'items', status: 'succeeded' },
    ]);
    const status = await project.lake('status', '--json');
    for (const said of [first.stderr(), second.stderr(), status.stdout, status.stderr])
      expect(said).not.toContain(QUEUE_PASSWORD);
  }, 300_000);
});
