import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { PgBoss } from 'pg-boss';

/**
 * Which worker holds which job: pg-boss knows a job is active, not who runs it. Two small
 * tables beside pg-boss's schema: the live workers (with a heartbeat) and their claims.
 */
const CREATE_TABLES = `
CREATE TABLE IF NOT EXISTS _lake_queue_workers (
  worker_id text PRIMARY KEY,
  host text NOT NULL,
  pid integer NOT NULL,
  concurrency integer NOT NULL,
  serving jsonb NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS _lake_queue_claims (
  job_id uuid PRIMARY KEY,
  worker_id text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now()
);`;

export interface WorkerIdentity {
  id: string;
  host: string;
  pid: number;
}

export function newWorkerIdentity(): WorkerIdentity {
  const host = hostname();
  return { id: `${host}:${process.pid}:${randomBytes(3).toString('hex')}`, host, pid: process.pid };
}

export async function ensureRegistryTables(boss: PgBoss): Promise<void> {
  // Two workers starting together race on CREATE … IF NOT EXISTS; an advisory lock orders them.
  await boss
    .getDb()
    .executeSql(`SELECT pg_advisory_lock(7331001); ${CREATE_TABLES} SELECT pg_advisory_unlock(7331001);`);
}

/** Records the worker and beats every `everyMs` until the returned function is called. */
export async function registerWorker(
  boss: PgBoss,
  worker: WorkerIdentity,
  details: { concurrency: number; serving: string[] },
  everyMs = 10_000,
): Promise<() => Promise<void>> {
  const db = boss.getDb();
  // Workers killed long ago (their rows stay when no handler could run): gone from the list.
  await db.executeSql("DELETE FROM _lake_queue_workers WHERE heartbeat_at < now() - interval '10 minutes'");
  await db.executeSql(
    `INSERT INTO _lake_queue_workers (worker_id, host, pid, concurrency, serving) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (worker_id) DO UPDATE SET heartbeat_at = now()`,
    [worker.id, worker.host, worker.pid, details.concurrency, JSON.stringify(details.serving)],
  );
  const beat = setInterval(() => {
    db.executeSql('UPDATE _lake_queue_workers SET heartbeat_at = now() WHERE worker_id = $1', [worker.id]).catch(
      () => {},
    );
  }, everyMs);
  beat.unref();
  return async () => {
    clearInterval(beat);
    await db.executeSql('DELETE FROM _lake_queue_claims WHERE worker_id = $1', [worker.id]);
    await db.executeSql('DELETE FROM _lake_queue_workers WHERE worker_id = $1', [worker.id]);
  };
}

export async function claimJob(boss: PgBoss, worker: WorkerIdentity, jobId: string): Promise<void> {
  await boss.getDb().executeSql(
    `INSERT INTO _lake_queue_claims (job_id, worker_id) VALUES ($1, $2)
       ON CONFLICT (job_id) DO UPDATE SET worker_id = excluded.worker_id, claimed_at = now()`,
    [jobId, worker.id],
  );
}

export async function releaseClaim(boss: PgBoss, worker: WorkerIdentity, jobId: string): Promise<void> {
  await boss
    .getDb()
    .executeSql('DELETE FROM _lake_queue_claims WHERE job_id = $1 AND worker_id = $2', [jobId, worker.id]);
}
