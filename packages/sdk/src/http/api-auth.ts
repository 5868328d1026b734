import { Secret } from '../secrets/secret.js';

type SecretText = Secret | string;

/**
 * How requests authenticate.
 * - `bearer`: `Authorization: Bearer <token>`
 * - `token`: `Authorization: <scheme> <token>` (GitHub's classic `token` scheme by default)
 * - `basic`: HTTP basic auth
 * - `header`: a header of its own (`PRIVATE-TOKEN` for GitLab)
 * - `pool`: several tokens, rotated; one that runs out of quota rests until its reset, one
 *   that is rejected (401) is dropped for the rest of the sync
 * - `provider`: the hook for OAuth and app tokens: called for headers, and again with
 *   `refresh: true` once after a 401
 */
export type ApiAuth =
  | { type: 'bearer'; token: SecretText }
  | { type: 'token'; token: SecretText; scheme?: string }
  | { type: 'basic'; username: string; password: SecretText }
  | { type: 'header'; name: string; value: SecretText }
  | { type: 'pool'; tokens: readonly SecretText[]; scheme?: string }
  | { type: 'provider'; provider: AuthProvider };

export interface AuthProvider {
  headers(request: { refresh: boolean }): Promise<Record<string, string>>;
}

/** One identity requests go out as, with what the API last said about its quota. */
export interface Credential {
  readonly label: string;
  headers(refresh: boolean): Promise<Record<string, string>>;
  remaining: number | undefined;
  resetAt: number | undefined;
  /** Rejected by the API; not used again. */
  rejected: boolean;
  /** Whether a 401 may be worth retrying with refreshed headers (providers). */
  readonly refreshable: boolean;
}

const reveal = (value: SecretText) => (value instanceof Secret ? value.reveal() : value);

function staticCredential(label: string, headers: Record<string, string>): Credential {
  return {
    label,
    headers: async () => headers,
    remaining: undefined,
    resetAt: undefined,
    rejected: false,
    refreshable: false,
  };
}

/** The credentials an auth setting stands for, and every secret value they hold (for redaction). */
export function credentialsFor(auth: ApiAuth | undefined): { credentials: Credential[]; secrets: string[] } {
  if (!auth) return { credentials: [staticCredential('anonymous', {})], secrets: [] };
  switch (auth.type) {
    case 'bearer':
      return {
        credentials: [staticCredential('token', { authorization: `Bearer ${reveal(auth.token)}` })],
        secrets: [reveal(auth.token)],
      };
    case 'token':
      return {
        credentials: [staticCredential('token', { authorization: `${auth.scheme ?? 'token'} ${reveal(auth.token)}` })],
        secrets: [reveal(auth.token)],
      };
    case 'basic': {
      const encoded = Buffer.from(`${auth.username}:${reveal(auth.password)}`).toString('base64');
      return {
        credentials: [staticCredential('basic', { authorization: `Basic ${encoded}` })],
        secrets: [reveal(auth.password), encoded],
      };
    }
    case 'header':
      return {
        credentials: [staticCredential(auth.name, { [auth.name]: reveal(auth.value) })],
        secrets: [reveal(auth.value)],
      };
    case 'pool':
      return {
        credentials: auth.tokens.map((token, index) =>
          staticCredential(`token #${index + 1}`, { authorization: `${auth.scheme ?? 'Bearer'} ${reveal(token)}` }),
        ),
        secrets: auth.tokens.map(reveal),
      };
    case 'provider':
      return {
        credentials: [
          {
            label: 'provider',
            headers: (refresh) => auth.provider.headers({ refresh }),
            remaining: undefined,
            resetAt: undefined,
            rejected: false,
            refreshable: true,
          },
        ],
        secrets: [],
      };
  }
}

/**
 * Picks the credential for the next request: round-robin over those not rejected and not
 * resting (quota spent, reset in the future). Returns the earliest reset when all rest.
 */
export class CredentialPool {
  readonly #credentials: Credential[];
  #next = 0;

  constructor(credentials: Credential[]) {
    this.#credentials = credentials;
  }

  get size(): number {
    return this.#credentials.length;
  }

  pick(now = Date.now()): { credential: Credential } | { waitUntil: number } | { none: true } {
    const usable = this.#credentials.filter((credential) => !credential.rejected);
    if (usable.length === 0) return { none: true };
    for (let offset = 0; offset < this.#credentials.length; offset += 1) {
      const candidate = this.#credentials[(this.#next + offset) % this.#credentials.length]!;
      if (candidate.rejected) continue;
      const resting = candidate.remaining === 0 && candidate.resetAt !== undefined && candidate.resetAt > now;
      if (!resting) {
        this.#next = (this.#next + offset + 1) % this.#credentials.length;
        return { credential: candidate };
      }
    }
    return { waitUntil: Math.min(...usable.map((credential) => credential.resetAt ?? now)) };
  }
}
