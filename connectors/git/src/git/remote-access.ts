import type { Secret } from '@lake/sdk';
import type { Remote } from './remote-url.js';

/** The credentials a connection may hold for HTTP(S) remotes. */
export interface RemoteCredentials {
  username?: string | undefined;
  password?: Secret | undefined;
  token?: Secret | undefined;
}

/** What git needs to reach a remote: extra environment, and how to take the secrets out of what it prints. */
export interface RemoteAccess {
  env: Record<string, string>;
  redact(text: string): string;
}

/** The user name sent with a token alone: GitHub and GitLab accept any name with a token, and document this one. */
const TOKEN_USER = 'x-access-token';
const REDACTED = '[redacted]';

/**
 * Git's settings for one remote, all in the environment (`GIT_CONFIG_COUNT`/`KEY_n`/`VALUE_n`),
 * never in the argument list (`ps` shows it) or the mirror's config file: the credential as an
 * `Authorization` header scoped to the remote's origin (a redirect to another host does not
 * get it), no credential helper (none may store or offer a password), no prompt, and no
 * automatic gc (a concurrent sync may be reading objects an old ref still names).
 */
export function remoteAccess(remote: Remote, credentials: RemoteCredentials): RemoteAccess {
  const secret = credentials.token?.reveal() ?? credentials.password?.reveal() ?? remote.password;
  const settings: Array<[string, string]> = [
    ['credential.helper', ''],
    ['gc.auto', '0'],
    ['maintenance.auto', 'false'],
  ];
  const secrets: string[] = [];
  if (remote.kind === 'http' && secret !== undefined && secret !== '') {
    const username = credentials.username ?? remote.username ?? TOKEN_USER;
    const encoded = Buffer.from(`${username}:${secret}`).toString('base64');
    settings.push([`http.${originOf(remote.canonicalUrl)}.extraHeader`, `Authorization: Basic ${encoded}`]);
    secrets.push(encoded, secret, encodeURIComponent(secret));
  }
  const env: Record<string, string> = {
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GIT_CONFIG_COUNT: String(settings.length),
  };
  settings.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  // Longest first: the encoded header must go whole, before a shorter secret inside it is replaced.
  const ordered = [...new Set(secrets)].filter((value) => value.length > 0).sort((a, b) => b.length - a.length);
  return {
    env,
    redact: (text) => ordered.reduce((clean, value) => clean.split(value).join(REDACTED), text),
  };
}

/** `https://host:8443/` of `https://host:8443/owner/repo.git`: what `http.<url>.*` settings match on. */
function originOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}/`;
}
