import pg from 'pg';
import type { CredentialBudget } from './credential-budget.js';
import type { RateLimitState } from './rate-limit-headers.js';
import { sleep } from './retry-policy.js';

/** How long one request that opens a window (its quota unknown) holds the others back, at most. */
const PROBE_MS = 5_000;
/**
 * How often the others look again while a probe is out: its answer usually comes within one
 * request's latency, and sleeping until the probe's deadline would lose most of the new window.
 */
const PROBE_POLL_MS = 20;
/**
 * A probe answered without rate-limit headers (Jenkins, many on-premises servers): the API
 * meters nothing it tells, so requests go unmetered for this long, then one probes again in
 * case it started to. Its 429s still stop every process (they are observed as a spent quota).
 */
const UNMETERED_MS = 60_000;
const UNMETERED_REQUESTS = 1_000_000_000;

const CREATE = `CREATE TABLE IF NOT EXISTS _lake_credential_budgets (
  credential_key text PRIMARY KEY,
  remaining bigint NOT NULL,
  reset_at_ms double precision NOT NULL,
  taken bigint NOT NULL DEFAULT 0,
  probing boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Takes a request from the credential's window: granted while the API's last word says
 * requests remain (each take counts one down, atomically, for every process); once the window
 * has passed, one request goes alone to learn the new window from its headers. Returns 0 when
 * granted, else the milliseconds to wait.
 */
const TAKE = `
WITH clock AS (SELECT extract(epoch FROM clock_timestamp()) * 1000 AS now_ms),
inserted AS (
  INSERT INTO _lake_credential_budgets (credential_key, remaining, reset_at_ms, taken, probing)
  SELECT $1, 0, now_ms + ${PROBE_MS}, 1, true FROM clock
  ON CONFLICT (credential_key) DO NOTHING
  RETURNING 0::double precision AS wait_ms
),
updated AS (
  UPDATE _lake_credential_budgets b SET
    remaining = CASE WHEN b.remaining > 0 AND clock.now_ms < b.reset_at_ms THEN b.remaining - 1 ELSE 0 END,
    reset_at_ms = CASE WHEN b.remaining > 0 AND clock.now_ms < b.reset_at_ms THEN b.reset_at_ms ELSE clock.now_ms + ${PROBE_MS} END,
    probing = NOT (b.remaining > 0 AND clock.now_ms < b.reset_at_ms),
    taken = b.taken + 1,
    updated_at = now()
  FROM clock
  WHERE b.credential_key = $1 AND NOT EXISTS (SELECT 1 FROM inserted)
    AND ((b.remaining > 0 AND clock.now_ms < b.reset_at_ms) OR clock.now_ms >= b.reset_at_ms)
  RETURNING 0::double precision AS wait_ms
)
SELECT wait_ms FROM inserted
UNION ALL SELECT wait_ms FROM updated
UNION ALL SELECT CASE WHEN b.probing THEN least(${PROBE_POLL_MS}, greatest(1, b.reset_at_ms - clock.now_ms))
                      ELSE greatest(1, b.reset_at_ms - clock.now_ms) END
  FROM _lake_credential_budgets b, clock
  WHERE b.credential_key = $1 AND NOT EXISTS (SELECT 1 FROM inserted) AND NOT EXISTS (SELECT 1 FROM updated)`;

/**
 * What a response says: the answer to a probe starts its window; within a known window the
 * remaining count only goes down (responses arrive out of order), and a spent quota holds
 * every process until the reset.
 */
const OBSERVE = `
UPDATE _lake_credential_budgets SET
  remaining = CASE WHEN probing OR $3 > reset_at_ms + 500 THEN $2 ELSE least(remaining, $2) END,
  reset_at_ms = CASE WHEN probing OR $3 > reset_at_ms + 500 OR $2 = 0 THEN $3 ELSE reset_at_ms END,
  probing = false,
  updated_at = now()
WHERE credential_key = $1`;

/** The answer to a probe said nothing of the quota: the window is unmetered (only a probe's answer ends a probe). */
const OBSERVE_UNMETERED = `
UPDATE _lake_credential_budgets SET
  remaining = ${UNMETERED_REQUESTS},
  reset_at_ms = extract(epoch FROM clock_timestamp()) * 1000 + ${UNMETERED_MS},
  probing = false,
  updated_at = now()
WHERE credential_key = $1 AND probing`;

/**
 * A `CredentialBudget` in PostgreSQL, fed by the API's rate-limit headers: ten workers sharing
 * one token send no more than its quota in any of the API's windows; two tokens, twice that.
 *
 *   const budget = await PostgresCredentialBudget.open(process.env.LAKE_RATE_LIMIT_URL!);
 *   const client = createApiClient({ baseUrl, auth, credentialBudget: budget });
 */
export class PostgresCredentialBudget implements CredentialBudget {
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  static async open(url: string): Promise<PostgresCredentialBudget> {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pool.on('error', () => {});
    // Workers starting together race on CREATE … IF NOT EXISTS; a lock on one session orders them.
    const session = await pool.connect();
    try {
      await session.query('SELECT pg_advisory_lock(7331002)');
      await session.query(CREATE);
      await session.query('SELECT pg_advisory_unlock(7331002)');
    } finally {
      session.release();
    }
    return new PostgresCredentialBudget(pool);
  }

  async take(credentialKey: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const { rows } = await this.#pool.query<{ wait_ms: number }>(TAKE, [credentialKey]);
      const wait = Number(rows[0]?.wait_ms ?? 100);
      if (wait <= 0) return;
      await sleep(Math.min(wait, 1_000), signal);
    }
  }

  async observe(credentialKey: string, quota: RateLimitState): Promise<void> {
    if (quota.remaining === undefined || quota.resetAt === undefined) {
      await this.#pool.query(OBSERVE_UNMETERED, [credentialKey]);
      return;
    }
    await this.#pool.query(OBSERVE, [credentialKey, quota.remaining, quota.resetAt]);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
