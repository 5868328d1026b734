/**
 * Remote URLs as the lake may keep them: scheme, host and path, never a password or token.
 *
 * - `https://user:token@host/owner/repo.git?x=1` → `https://host/owner/repo.git`: the whole
 *   user part goes, because on HTTP(S) it is as often a token as a name
 *   (`https://<token>@github.com/…`, `https://oauth2:<token>@gitlab…`); the query too.
 * - `ssh://git:secret@host:2222/repo.git` → `ssh://git@host:2222/repo.git`: an SSH user name
 *   is the account on the server (`git` by convention) and says which remote it is; the
 *   password goes.
 * - `user:secret@host:owner/repo.git` (scp-like) → `user@host:owner/repo.git`, likewise.
 * - Local paths are kept as they are.
 */
export function withoutCredentials(url: string): string {
  const withScheme = SCHEME_URL.exec(url);
  if (withScheme) {
    const [, scheme, authority, path] = withScheme as unknown as [string, string, string, string];
    const at = authority.lastIndexOf('@');
    const host = at < 0 ? authority : authority.slice(at + 1);
    const user = at < 0 ? '' : userName(authority.slice(0, at));
    const keepsUser = SSH_SCHEMES.has(scheme.toLowerCase()) && user !== '';
    return `${scheme}://${keepsUser ? `${user}@` : ''}${host}${path.replace(QUERY_AND_FRAGMENT, '')}`;
  }
  const scpLike = isScpLike(url) ? SCP_LIKE.exec(url) : null;
  if (scpLike) {
    const [, userInfo, hostAndPath] = scpLike as unknown as [string, string, string];
    const user = userName(userInfo);
    return user === '' ? hostAndPath : `${user}@${hostAndPath}`;
  }
  return url;
}

/**
 * Free text (git's error messages) with the user part of every URL in it removed, so that a
 * message quoting a remote cannot carry its token into a log line or an error.
 */
export function withoutUrlCredentials(text: string): string {
  return text.replace(URL_USER_INFO, '$1');
}

const SCHEME_URL = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s;
/** `user[:password]@host:path`: the last `@` followed by a host and a colon ends the user part. */
const SCP_LIKE = /^(.*)@((?:\[[^\]/]*\]|[^/:@[]+):.*)$/s;
const QUERY_AND_FRAGMENT = /[?#].*$/s;
const URL_USER_INFO = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/?#@]*@/g;
const SSH_SCHEMES = new Set(['ssh', 'git+ssh', 'ssh+git']);

/** git's rule: without `://`, a colon before the first slash makes `host:path`, otherwise it is a local path. */
function isScpLike(url: string): boolean {
  const colon = url.indexOf(':');
  const slash = url.indexOf('/');
  return colon >= 0 && (slash < 0 || colon < slash);
}

function userName(userInfo: string): string {
  const colon = userInfo.indexOf(':');
  return colon < 0 ? userInfo : userInfo.slice(0, colon);
}

/** A remote repository as a scope names it: the URL to store and fetch, and the credentials it carried. */
export interface Remote {
  /** The URL without credentials, query or fragment: what the mirror's config and the lake keep. */
  canonicalUrl: string;
  kind: 'http' | 'ssh' | 'file';
  /** From `https://user:password@host/…`; a lone `https://token@host/…` gives only `password`. */
  username?: string;
  password?: string;
}

const REMOTE_SCHEMES: Record<string, Remote['kind']> = {
  https: 'http',
  http: 'http',
  ssh: 'ssh',
  'git+ssh': 'ssh',
  'ssh+git': 'ssh',
  file: 'file',
};

/** An https://, http://, ssh://, file:// or scp-like `user@host:path` URL (never a bare local path). */
export function isRemoteUrl(url: string): boolean {
  const withScheme = SCHEME_URL.exec(url);
  if (withScheme) {
    const [, scheme, authority, path] = withScheme as unknown as [string, string, string, string];
    const kind = REMOTE_SCHEMES[scheme.toLowerCase()];
    if (kind === undefined) return false;
    return kind === 'file' ? path.length > 1 : authority.slice(authority.lastIndexOf('@') + 1) !== '';
  }
  return isScpLike(url) && SCP_LIKE.test(url);
}

/** Splits a remote URL into what may be stored and the credentials it carries (see `withoutCredentials`). */
export function remoteOf(url: string): Remote {
  const canonicalUrl = withoutCredentials(url);
  const withScheme = SCHEME_URL.exec(url);
  const kind = withScheme ? (REMOTE_SCHEMES[withScheme[1]!.toLowerCase()] ?? 'file') : 'ssh';
  if (kind !== 'http' || !withScheme) return { canonicalUrl, kind };
  const authority = withScheme[2]!;
  const at = authority.lastIndexOf('@');
  if (at < 0) return { canonicalUrl, kind };
  const userInfo = authority.slice(0, at);
  const colon = userInfo.indexOf(':');
  // A lone user part on HTTP(S) is as often a token as a name (`https://<token>@github.com/…`).
  if (colon < 0) return { canonicalUrl, kind, password: percentDecoded(userInfo) };
  return {
    canonicalUrl,
    kind,
    username: percentDecoded(userInfo.slice(0, colon)),
    password: percentDecoded(userInfo.slice(colon + 1)),
  };
}

/** `%40` → `@`, as git decodes a URL's user part; a stray `%` is kept as it is. */
function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
