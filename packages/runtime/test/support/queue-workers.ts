import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import type { QueueStatus } from '../../src/queue/queue-status.ts';
import type { TestProject } from './lake-project.ts';

const workspace = new URL('../../../../', import.meta.url).pathname;
export const lakeCli = join(workspace, 'packages/runtime/dist/cli.js');

/** A `lake worker` process of a project: its stderr as it comes, and how it ended. */
export interface WorkerProcess {
  child: ChildProcess;
  stderr(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startWorker(project: TestProject, concurrency: number): WorkerProcess {
  const child = spawn(process.execPath, [lakeCli, 'worker', '--concurrency', String(concurrency)], {
    cwd: project.paths.root,
    env: project.environment,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stderr: () => stderr, done };
}

/** `lake status --json`'s queue part, read in-process. */
export async function queueStatus(project: TestProject): Promise<QueueStatus> {
  const status = await project.lake('status', '--json', '--limit', '500');
  if (status.code !== 0) throw new Error(`lake status failed: ${status.stderr}`);
  return (JSON.parse(status.stdout) as { queue: QueueStatus }).queue;
}

/** Polls until `check` holds (it returns a truthy value), up to `timeoutMs`. */
export async function waitUntil<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** One query on a PostgreSQL database. */
export async function query<Row>(url: string, text: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Row[];
  } finally {
    await client.end();
  }
}
