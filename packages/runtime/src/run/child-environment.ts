/**
 * The environment a connector process gets: an allowlist, never the runtime's own. The
 * runtime's environment holds its secrets — the registry token, `LAKE_SECRET_KEY`, whatever
 * `${ENV}` references lake.yaml resolves (`GITHUB_TOKEN`) — and a connector receives the
 * values its connection needs through its context on stdin, scrubbed from logs; anything
 * else it could read from its environment would be a leak no redactor knows about.
 */
const EXACT = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TEMP',
  'TMP',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  // Certificates of a corporate proxy or an internal CA, for Node and for tools a connector runs (git).
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  // Windows needs these to start processes at all.
  'SYSTEMROOT',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
]);

/** Locale categories (`LC_ALL`, `LC_CTYPE`…). */
const PREFIXES = ['LC_'];

export function connectorEnvironment(
  environment: NodeJS.ProcessEnv,
  /** What the connector's context needs besides its stdin: the database URL. */
  context: Record<string, string>,
): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(environment)) {
    if (value === undefined) continue;
    if (EXACT.has(name) || PREFIXES.some((prefix) => name.startsWith(prefix))) result[name] = value;
  }
  return { ...result, ...context };
}
