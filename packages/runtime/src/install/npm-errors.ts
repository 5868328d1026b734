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
export function npmFailure(error: unknown, what: string, registry: string): RuntimeError {
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
    return new RuntimeError(
      'REGISTRY_ERROR',
      `${registry} refused to serve ${what} (${code}): set registry.token in lake.yaml (e.g. \${LAKE_REGISTRY_TOKEN})`,
      { cause: error },
    );
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(code)) {
    return new RuntimeError('REGISTRY_ERROR', `cannot reach ${registry} for ${what} (${code})`, { cause: error });
  }
  const message = failure instanceof Error ? failure.message.split('\n')[0] : String(error);
  return new RuntimeError('INSTALL_FAILED', `${what}: ${message}`, { cause: error });
}
