/**
 * The webhook receiver under load: `posts` deployment POSTs from `clients` concurrent clients on
 * loopback, one in ten a repeat of an earlier id (a caller retrying after a lost answer), each
 * retried on 503 or a dropped connection as a CI script with `curl --retry` would. Measured next
 * to a no-op server that reads each body and answers 201 (the floor of HTTP on this machine).
 * Afterwards the lake is counted: every distinct id must be one deployment with two commit rows.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type DialectName, openStore } from '@lake/sdk';
import { createScratchDatabase } from '@lake/sdk/testing';

const here = dirname(fileURLToPath(import.meta.url));
const TOKEN = 'bench-webhook-token-0123456789abcdef';
const MAX_ATTEMPTS = 6;

export interface LoadFigures {
  posts: number;
  clients: number;
  seconds: number;
  postsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Attempts beyond the first, over all posts (503s and dropped connections). */
  retries: number;
  /** Posts that failed after every attempt. */
  failed: number;
}

export interface WebhookLoadMeasurement {
  dialect: DialectName;
  receiver: LoadFigures;
  noop: LoadFigures;
  distinctIds: number;
  storedDeployments: number;
  storedCommits: number;
}

export async function measureWebhookLoad(
  dialect: DialectName,
  posts: number,
  clients: number,
): Promise<WebhookLoadMeasurement> {
  const scratch = await createScratchDatabase(dialect);
  try {
    const plan = postPlan(posts);
    const noop = await withServer(['noop', TOKEN], (port) => load(port, plan, clients));
    const receiver = await withServer([scratch.url, TOKEN], (port) => load(port, plan, clients));
    const store = await openStore(scratch.url);
    try {
      const count = async (table: string) =>
        Number(
          (
            await store.db
              .selectFrom(table)
              .select((builder) => builder.fn.countAll().as('count'))
              .executeTakeFirstOrThrow()
          ).count,
        );
      return {
        dialect,
        receiver,
        noop,
        distinctIds: new Set(plan).size,
        storedDeployments: await count('cicd_deployments'),
        storedCommits: await count('cicd_deployment_commits'),
      };
    } finally {
      await store.close();
    }
  } finally {
    await scratch.drop();
  }
}

/** The caller ids of the posts in order: nine in ten new, one in ten a repeat of an earlier one. */
function postPlan(posts: number): string[] {
  const plan: string[] = [];
  let seed = 42;
  const random = () => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed / 2 ** 32;
  };
  for (let index = 0; index < posts; index += 1) {
    plan.push(index % 10 === 9 && index > 0 ? plan[Math.floor(random() * index)]! : `deploy-${index}`);
  }
  return plan;
}

function bodyOf(id: string): string {
  const digits = Number(id.replace(/\D/g, '') || 0);
  const sha = (salt: number) => (digits * 7919 + salt).toString(16).padStart(40, '0').slice(-40);
  return JSON.stringify({
    id,
    result: 'SUCCESS',
    environment: 'PRODUCTION',
    startedDate: new Date(Date.UTC(2026, 0, 1) + digits * 60_000).toISOString(),
    finishedDate: new Date(Date.UTC(2026, 0, 1) + digits * 60_000 + 90_000).toISOString(),
    deploymentCommits: [
      { repoUrl: 'https://git.example.com/shop/api', commitSha: sha(1), refName: 'main' },
      { repoUrl: 'https://git.example.com/shop/web', commitSha: sha(2), refName: 'main' },
    ],
  });
}

async function load(port: number, plan: readonly string[], clients: number): Promise<LoadFigures> {
  const url = `http://127.0.0.1:${port}/connections/1/deployments`;
  const latencies: number[] = [];
  let next = 0;
  let retries = 0;
  let failed = 0;
  const started = performance.now();
  const client = async () => {
    for (let index = next++; index < plan.length; index = next++) {
      const body = bodyOf(plan[index]!);
      const begun = performance.now();
      let done = false;
      for (let attempt = 1; attempt <= MAX_ATTEMPTS && !done; attempt += 1) {
        if (attempt > 1) {
          retries += 1;
          await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
        }
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            body,
          });
          await response.arrayBuffer();
          done = response.status === 200 || response.status === 201;
          if (!done && response.status !== 503) break;
        } catch {
          // A dropped connection: try again, as curl --retry-all-errors does.
        }
      }
      if (done) latencies.push(performance.now() - begun);
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((left, right) => left - right);
  const at = (fraction: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(fraction * latencies.length))] ?? 0;
  return {
    posts: plan.length,
    clients,
    seconds: round(seconds, 2),
    postsPerSec: Math.round(plan.length / seconds),
    p50Ms: round(at(0.5), 1),
    p99Ms: round(at(0.99), 1),
    maxMs: round(latencies.at(-1) ?? 0, 1),
    retries,
    failed,
  };
}

async function withServer<T>(args: string[], work: (port: number) => Promise<T>): Promise<T> {
  const server = spawn(
    process.execPath,
    ['--import', join(here, 'typescript-sources.ts'), join(here, 'webhook-receiver.ts'), ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const [line] = (await once(createInterface({ input: server.stdout }), 'line')) as [string];
    return await work((JSON.parse(line) as { port: number }).port);
  } finally {
    server.kill();
    await once(server, 'exit').catch(() => undefined);
  }
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
