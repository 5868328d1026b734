import { join } from 'node:path';
import { stringify } from 'yaml';

export interface RegistryConfigOptions {
  /** Directory holding packages, users and the log. */
  directory: string;
  /** Let anyone read `@lake/*` packages (default: only authenticated users). */
  anonymousRead?: boolean;
  /** Proxy the public npm registry for third-party packages, so a runtime installs everything from here. */
  uplink?: boolean;
  /** Allow publishing packages outside the `@lake` scope (default: refused). */
  allowOtherScopes?: boolean;
  /** Allow `npm adduser` to register new users (default true; turn it off once the team's users exist). */
  registration?: boolean;
  /** Public registry proxied by the uplink. Default https://registry.npmjs.org/. */
  upstream?: string;
}

/** A group no user belongs to: what may not be done by anyone. */
const NOBODY = 'lake-nobody';

/**
 * Verdaccio's configuration for Lake's registry. `@lake/*` packages are never proxied (a
 * package of that name on the public registry must not shadow ours); everything else is
 * proxied only with the uplink on.
 */
export function verdaccioConfig(options: RegistryConfigOptions): Record<string, unknown> {
  const uplink = options.uplink ?? false;
  return {
    storage: join(options.directory, 'storage'),
    auth: {
      htpasswd: { file: join(options.directory, 'htpasswd'), max_users: options.registration === false ? -1 : 1000 },
    },
    uplinks: uplink
      ? { npmjs: { url: options.upstream ?? 'https://registry.npmjs.org/', timeout: '60s', max_fails: 5 } }
      : {},
    packages: {
      '@lake/*': {
        access: options.anonymousRead ? '$all' : '$authenticated',
        publish: '$authenticated',
        unpublish: '$authenticated',
      },
      '**': {
        access: uplink ? '$all' : '$authenticated',
        publish: options.allowOtherScopes ? '$authenticated' : NOBODY,
        unpublish: options.allowOtherScopes ? '$authenticated' : NOBODY,
        ...(uplink ? { proxy: 'npmjs' } : {}),
      },
    },
    web: { enable: false },
    middlewares: { audit: { enabled: false } },
    max_body_size: '200mb',
    // Synchronous: a local registry's log is small, and should be complete when a test or an operator reads it.
    log: { type: 'file', path: join(options.directory, 'verdaccio.log'), level: 'info', sync: true },
  };
}

export function verdaccioConfigYaml(options: RegistryConfigOptions): string {
  return `# Written by @lake-tools/registry-server; regenerated at every start.\n${stringify(verdaccioConfig(options))}`;
}
