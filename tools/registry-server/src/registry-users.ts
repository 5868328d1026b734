/**
 * Users of the registry, through the API npm itself uses (`npm adduser` / `npm login`).
 * Creating a user returns its token; logging in again with the password returns a new one.
 */
export interface RegistryCredentials {
  name: string;
  token: string;
}

export class RegistryError extends Error {
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.name = 'RegistryError';
    this.status = status;
  }
}

/** Creates the user (or logs in when it exists and the password matches) and returns a token. */
export async function addUser(registryUrl: string, name: string, password: string): Promise<RegistryCredentials> {
  const response = await fetch(`${registryUrl}-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      _id: `org.couchdb.user:${name}`,
      name,
      password,
      type: 'user',
      roles: [],
      date: new Date().toISOString(),
    }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: string; error?: string; reason?: string };
  if (!response.ok || !body.token) {
    throw new RegistryError(
      `[lake] registry refused user ${name}: ${body.error ?? body.reason ?? response.statusText} (${response.status})`,
      response.status,
    );
  }
  return { name, token: body.token };
}

/** The lines of an npm/pnpm config file that make `token` the credentials for `registryUrl`. */
export function npmrcFor(registryUrl: string, token: string, options: { scopeOnly?: boolean } = {}): string {
  const parsed = new URL(registryUrl);
  const key = `//${parsed.host}${parsed.pathname}`;
  const registryLine = options.scopeOnly ? `@lake:registry=${registryUrl}` : `registry=${registryUrl}`;
  return `${registryLine}\n${key}:_authToken=${token}\n`;
}
