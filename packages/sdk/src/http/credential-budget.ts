import { createHash } from 'node:crypto';
import type { RateLimitState } from './rate-limit-headers.js';

/**
 * A credential's request budget shared beyond one process: every worker syncing with the
 * same token takes its requests from one place, and what the API says about the token's quota
 * (its rate-limit headers, a 429) is told to all of them. Keyed by `credentialKey`, a digest of
 * the credential: the secret itself is never stored.
 */
export interface CredentialBudget {
  /** Waits until the credential may send one more request. */
  take(credentialKey: string, signal?: AbortSignal): Promise<void>;
  /** The API's word on the credential's quota, from a response. */
  observe(credentialKey: string, quota: RateLimitState): Promise<void>;
}

/**
 * The key of a credential at an API: a SHA-256 of the API's origin and the credential's
 * headers. Equal for every process that holds the same token; the token cannot be read back.
 */
export function credentialKey(baseUrl: string, headers: Record<string, string>): string {
  const origin = new URL(baseUrl).origin;
  const material = JSON.stringify([
    origin,
    Object.entries(headers).sort(([left], [right]) => left.localeCompare(right)),
  ]);
  return `sha256:${createHash('sha256').update(material).digest('hex').slice(0, 40)}`;
}

let processDefault: CredentialBudget | undefined;

/**
 * The budget clients get when their options name none: the runtime sets one for a connector
 * process whose syncs share credentials with other workers (`LAKE_RATE_LIMIT_URL`).
 */
export function setDefaultCredentialBudget(budget: CredentialBudget | undefined): void {
  processDefault = budget;
}

export function defaultCredentialBudget(): CredentialBudget | undefined {
  return processDefault;
}
