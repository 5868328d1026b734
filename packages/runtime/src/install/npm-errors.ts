import { RuntimeError } from '../errors.js';

interface NpmFailure extends Error {
  code?: string;
  statusCode?: number;
  expected?: unknown;
  found?: unknown;
  sri?: unknown;
  uri?: string;
}

/**
 * npm's fetch errors, in the runtime's words: which package, which registry, what to do.
 * `what` names the package being fetched (`@lake/connector-git@^0.1.0`).
 */
export interface RegistryAuth {
  /** Whether lake.yaml's registry.token resolved to a token. */
  tokenSet?: boolean;
  /** The reference it was written as (`${LAKE_REGISTRY_TOKEN}`), to name in the fix. */
  tokenReference?: string;
}

export function npmFailure(error: unknown, what: string, registry: string, context: RegistryAuth = {}): RuntimeError {
  const failure = error as NpmFailure;
  const code = failure?.code ?? '';
  if (code === 'EINTEGRITY') {
    const expected = String(failure.expected ?? failure.sri ?? 'unknown');
    const found = String(failure.found ?? 'unknown');
    return new RuntimeError(
      'INTEGRITY_MISMATCH',
      `${what}: the tarball does not match its recorded integrity (the registry served different bytes, or it was tampered with)\n  expected ${expected}\n  received ${found}`,
      { cause: error, details: { package: what, expected, received: found } },
    );
  }
  if (code === 'E404') {
    return new RuntimeError('CONNECTOR_UNKNOWN', `${what} is not in the registry ${registry}`, { cause: error });
  }
  if (code === 'ETARGET') {
    return new RuntimeError('CONNECTOR_UNKNOWN', `no version of ${what} is published to ${registry}`, { cause: error });
  }
  if (code === 'E401' || code === 'E403' || code === 'ENEEDAUTH') {
    // A token that is there but refused is not fixed by setting one.
    const fix = context.tokenSet
      ? `the token registry.token resolves to is wrong, expired or has no access to ${what}; create a new one (\`pnpm registry:add-user <name>\`, or \`npm token create --registry ${registry}\`) and update ${context.tokenReference ?? 'registry.token'}`
      : 'set registry.token in lake.yaml (e.g. $' +
        '{LAKE_REGISTRY_TOKEN}, a token from `pnpm registry:add-user <name>`)';
    return new RuntimeError('REGISTRY_ERROR', `${registry} refused to serve ${what} (${code}): ${fix}`, {
      cause: error,
    });
  }
  if (code === 'ENOTCACHED') {
    return new RuntimeError(
      'REGISTRY_ERROR',
      `${what} is not in the npm cache, and --offline forbids the network (run without --offline once, or with --prefer-offline)`,
      { cause: error },
    );
  }
  if (
    ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(
      code,
    ) ||
    failure?.name === 'FetchError'
  ) {
    return new RuntimeError(
      'REGISTRY_ERROR',
      `cannot reach ${registry} for ${what} (${code || failure.message.split('\n')[0]}); check the address and the network, or install from the npm cache with --offline`,
      { cause: error },
    );
  }
  const message = failure instanceof Error ? failure.message.split('\n')[0] : String(error);
  return new RuntimeError('INSTALL_FAILED', `${what}: ${message}`, { cause: error });
}
