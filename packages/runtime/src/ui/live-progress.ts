import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectPaths } from '../project/project-paths.js';
import type { ScopeEvent } from '../run/sync-runner.js';

/** Version of the live progress file: a reader refuses a file of another version. */
export const LIVE_PROGRESS_VERSION = 1;

export interface LiveStream {
  stream: string;
  status: 'running' | 'succeeded' | 'failed' | 'aborted' | 'skipped';
  records: number;
  /** The total the API announced, when it did. */
  total: number | null;
  elapsedMs: number;
}

export interface LiveScope {
  connection: string;
  scopeId: string;
  status: 'running' | 'succeeded' | 'failed' | 'aborted' | 'skipped';
  streams: LiveStream[];
}

/** What a running `lake sync` publishes under `.lake/live/`, rewritten as it goes. */
export interface LiveSync {
  version: typeof LIVE_PROGRESS_VERSION;
  id: string;
  pid: number;
  startedAt: string;
  updatedAt: string;
  /** Null while it runs. */
  finishedAt: string | null;
  /** `interrupted` when the reader finds the process gone before it finished. */
  status: 'running' | 'finished' | 'interrupted';
  scopes: LiveScope[];
}

/** The directory of the live progress files of a project. */
export function liveDirectory(paths: ProjectPaths): string {
  return join(paths.lakeDirectory, 'live');
}

/** Finished files are kept this long, so the page shows how the last syncs ended. */
const KEEP_FINISHED_MS = 24 * 60 * 60 * 1000;
/**
 * Day-old files are looked for at most this often per directory and process: a worker starts a
 * writer per job, and statting every file of the directory each time grows with the day's jobs.
 */
const SWEEP_INTERVAL_MS = 60_000;
const lastSweeps = new Map<string, number>();
/** At most one write per this interval while records flow; stream and scope ends are written at once. */
const WRITE_INTERVAL_MS = 200;

export interface LiveProgressWriter {
  onEvent(event: ScopeEvent): void;
  /** Writes the final state (finishedAt set) and waits for every write. */
  finish(): Promise<void>;
}

/**
 * The sync's side of the live view: every scope event updates one JSON file
 * (`.lake/live/<id>.json`, replaced atomically), which `lake ui` reads and streams to the page.
 * Writing never fails the sync: a progress file that cannot be written is only a blank view.
 */
export async function createLiveProgressWriter(
  paths: ProjectPaths,
  now = () => new Date(),
): Promise<LiveProgressWriter> {
  const directory = liveDirectory(paths);
  await mkdir(directory, { recursive: true }).catch(() => undefined);
  const nowMs = now().getTime();
  const lastSweep = lastSweeps.get(directory);
  if (lastSweep === undefined || nowMs - lastSweep >= SWEEP_INTERVAL_MS) {
    lastSweeps.set(directory, nowMs);
    await removeOldFiles(directory, nowMs);
  }
  const started = now();
  const id = `${started.toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
  const state: LiveSync = {
    version: LIVE_PROGRESS_VERSION,
    id,
    pid: process.pid,
    startedAt: started.toISOString(),
    updatedAt: started.toISOString(),
    finishedAt: null,
    status: 'running',
    scopes: [],
  };
  const file = join(directory, `${id}.json`);
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const write = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    state.updatedAt = now().toISOString();
    const text = JSON.stringify(state);
    chain = chain.then(() => replaceFile(file, text)).catch(() => undefined);
  };
  write();
  return {
    onEvent(event) {
      const urgent = applyEvent(state, event);
      if (urgent) write();
      else timer ??= setTimeout(write, WRITE_INTERVAL_MS);
    },
    async finish() {
      state.finishedAt = now().toISOString();
      state.status = 'finished';
      write();
      await chain;
    },
  };
}

/** Applies one event to the state; true when it ends something (written at once). */
export function applyEvent(state: LiveSync, { connection, scopeId, event }: ScopeEvent): boolean {
  let scope = state.scopes.find((entry) => entry.connection === connection && entry.scopeId === scopeId);
  if (!scope) {
    scope = { connection, scopeId, status: 'running', streams: [] };
    state.scopes.push(scope);
  }
  if (event.type === 'scope-end') {
    scope.status = event.status;
    return true;
  }
  if (event.type === 'sync-skip') {
    scope.status = 'skipped';
    return true;
  }
  if (event.type !== 'stream-start' && event.type !== 'stream-progress' && event.type !== 'stream-end') return false;
  let stream = scope.streams.find((entry) => entry.stream === event.stream);
  if (!stream) {
    stream = { stream: event.stream, status: 'running', records: 0, total: null, elapsedMs: 0 };
    scope.streams.push(stream);
  }
  if (event.type === 'stream-progress') {
    stream.records = event.records;
    stream.total = event.total ?? stream.total;
    stream.elapsedMs = event.elapsedMs;
    return false;
  }
  if (event.type === 'stream-end') {
    stream.status = event.status;
    stream.records = event.records;
    stream.elapsedMs = event.elapsedMs;
  }
  return true;
}

async function replaceFile(file: string, text: string): Promise<void> {
  const staging = `${file}.${process.pid}.tmp`;
  await writeFile(staging, text);
  await rename(staging, file);
}

async function removeOldFiles(directory: string, nowMs: number): Promise<void> {
  for (const name of await readdir(directory).catch(() => [] as string[])) {
    const file = join(directory, name);
    const info = await stat(file).catch(() => undefined);
    if (info && nowMs - info.mtimeMs > KEEP_FINISHED_MS) await rm(file, { force: true });
  }
}

/**
 * The live syncs of a project, newest first (at most `limit`): a running file whose process
 * is gone is `interrupted`. Files of another version, or half-written, are left out.
 */
export async function readLiveSyncs(paths: ProjectPaths, limit = 10): Promise<LiveSync[]> {
  const directory = liveDirectory(paths);
  const names = (await readdir(directory).catch(() => [] as string[])).filter((name) => name.endsWith('.json'));
  const syncs: LiveSync[] = [];
  for (const name of names) {
    const parsed = await readFile(join(directory, name), 'utf8')
      .then((text) => JSON.parse(text) as LiveSync)
      .catch(() => undefined);
    if (!parsed || parsed.version !== LIVE_PROGRESS_VERSION) continue;
    if (parsed.status === 'running' && !processAlive(parsed.pid)) parsed.status = 'interrupted';
    syncs.push(parsed);
  }
  return syncs.sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, limit);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
