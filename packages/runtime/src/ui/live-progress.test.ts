import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPaths } from '../project/project-paths.js';
import type { ScopeEvent } from '../run/sync-runner.js';
import {
  createLiveProgressWriter,
  LIVE_PROGRESS_VERSION,
  type LiveSync,
  liveDirectory,
  readLiveSyncs,
} from './live-progress.js';

const scope = { connection: 'api', scopeId: 'slow' };
const event = (message: ScopeEvent['event']) => ({ ...scope, event: message }) as ScopeEvent;

describe('live progress files', () => {
  it('follows a sync stream by stream, writing the end of each at once, and finishes', async () => {
    const paths = projectPaths(await mkdtemp(join(tmpdir(), 'lake-live-')));
    const writer = await createLiveProgressWriter(paths);
    const read = async () => (await readLiveSyncs(paths))[0]!;
    writer.onEvent(event({ type: 'stream-start', stream: 'items', full: false, resumed: false }));
    writer.onEvent(event({ type: 'stream-progress', stream: 'items', records: 10, total: 30, elapsedMs: 100 }));
    writer.onEvent(
      event({
        type: 'stream-end',
        stream: 'items',
        status: 'succeeded',
        records: 30,
        toolRows: 30,
        domainRows: 0,
        removed: 0,
        elapsedMs: 300,
      } as never),
    );
    writer.onEvent(event({ type: 'log', level: 'info', message: 'not progress' } as never));
    writer.onEvent(event({ type: 'scope-end', status: 'succeeded' }));
    writer.onEvent({
      connection: 'code',
      scopeId: 'shop',
      event: { type: 'sync-skip', syncId: 's', reason: 'unchanged' },
    } as ScopeEvent);
    await writer.finish();
    const sync = await read();
    expect([sync.version, sync.status, sync.pid, sync.finishedAt !== null]).toEqual([
      LIVE_PROGRESS_VERSION,
      'finished',
      process.pid,
      true,
    ]);
    expect(sync.scopes).toEqual([
      {
        connection: 'api',
        scopeId: 'slow',
        status: 'succeeded',
        streams: [{ stream: 'items', status: 'succeeded', records: 30, total: 30, elapsedMs: 300 }],
      },
      { connection: 'code', scopeId: 'shop', status: 'skipped', streams: [] },
    ]);
    expect((await readdir(liveDirectory(paths))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('shows a running sync whose process is gone as interrupted, skips unreadable files, and drops day-old ones', async () => {
    const paths = projectPaths(await mkdtemp(join(tmpdir(), 'lake-live-')));
    const directory = liveDirectory(paths);
    await mkdir(directory, { recursive: true });
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const sync = (id: string, pid: number, startedAt: string): LiveSync => ({
      version: LIVE_PROGRESS_VERSION,
      id,
      pid,
      startedAt,
      updatedAt: startedAt,
      finishedAt: null,
      status: 'running',
      scopes: [],
    });
    await writeFile(join(directory, 'a.json'), JSON.stringify(sync('a', gone, '2026-12-01T00:00:00.000Z')));
    await writeFile(join(directory, 'b.json'), JSON.stringify(sync('b', process.pid, '2026-12-02T00:00:00.000Z')));
    await writeFile(
      join(directory, 'c.json'),
      JSON.stringify({ ...sync('c', process.pid, '2026-12-03T00:00:00.000Z'), version: 99 }),
    );
    await writeFile(join(directory, 'd.json'), '{"version":1,"id":"d"');
    expect((await readLiveSyncs(paths)).map((entry) => [entry.id, entry.status])).toEqual([
      ['b', 'running'],
      ['a', 'interrupted'],
    ]);
    const old = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    await utimes(join(directory, 'a.json'), old, old);
    const writer = await createLiveProgressWriter(paths);
    await writer.finish();
    const names = (await readdir(directory)).sort();
    expect(names).not.toContain('a.json');
    expect(names.filter((name) => ['b.json', 'c.json', 'd.json'].includes(name))).toEqual([
      'b.json',
      'c.json',
      'd.json',
    ]);
    expect(JSON.parse(await readFile(join(directory, 'b.json'), 'utf8')).id).toBe('b');
  });

  it('looks for day-old files at most once a minute per directory, however many syncs start', async () => {
    const paths = projectPaths(await mkdtemp(join(tmpdir(), 'lake-live-')));
    const directory = liveDirectory(paths);
    const start = Date.now();
    await (await createLiveProgressWriter(paths, () => new Date(start))).finish();
    await writeFile(join(directory, 'old.json'), '{}');
    const old = new Date(start - 2 * 24 * 60 * 60 * 1000);
    await utimes(join(directory, 'old.json'), old, old);
    // A job later in the same minute does not sweep; one a minute on does.
    await (await createLiveProgressWriter(paths, () => new Date(start + 59_000))).finish();
    expect(await readdir(directory)).toContain('old.json');
    await (await createLiveProgressWriter(paths, () => new Date(start + 60_000))).finish();
    expect(await readdir(directory)).not.toContain('old.json');
  });
});
