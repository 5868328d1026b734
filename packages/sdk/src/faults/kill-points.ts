import { appendFileSync } from 'node:fs';

/**
 * Kill points: named places where a sync can be killed with SIGKILL on purpose, so that tests
 * (the testkit's kill sweep) prove that a process dying at *any* of them loses and duplicates
 * nothing. A failpoint in the sense of FoundationDB's or etcd's gofail, driven by two
 * environment variables of the process:
 *
 *   LAKE_KILL_POINTS_LOG=<file>  append `<n>\t<label>` for every point reached (a clean run lists them all)
 *   LAKE_KILL_AT=<n>             SIGKILL this process on reaching the n-th point (1-based)
 *
 * With neither set (always, outside tests) `killPoint` is one boolean check.
 *
 * Points are placed where durability is decided: before every DDL statement, before and after
 * every transaction's commit, and around each migration.
 */
/** The environment variables that arm kill points in a child process (for the testkit's sweep). */
export const KILL_POINT_VARIABLES = { log: 'LAKE_KILL_POINTS_LOG', killAt: 'LAKE_KILL_AT' } as const;

const logFile = process.env[KILL_POINT_VARIABLES.log] || undefined;
const killAt = Number(process.env[KILL_POINT_VARIABLES.killAt] ?? '') || undefined;
const enabled = logFile !== undefined || killAt !== undefined;
let reached = 0;

export function killPoint(label: string): void {
  if (!enabled) return;
  reached += 1;
  // Written synchronously, so the label is on disk before the process dies.
  if (logFile) appendFileSync(logFile, `${reached}\t${label.replace(/\s+/g, ' ')}\n`);
  if (reached === killAt) process.kill(process.pid, 'SIGKILL');
}

/** Whether kill points are armed in this process (for code that would otherwise skip work). */
export function killPointsEnabled(): boolean {
  return enabled;
}
