import { describe, expect, it } from 'vitest';
import { connectorEnvironment } from './child-environment.js';

describe("a connector's environment", () => {
  it('keeps what a process needs and nothing of the runtime', () => {
    const environment = connectorEnvironment(
      {
        PATH: '/usr/bin',
        HOME: '/home/lake',
        LANG: 'C.UTF-8',
        LC_ALL: 'C.UTF-8',
        TZ: 'UTC',
        TMPDIR: '/tmp',
        HTTPS_PROXY: 'http://proxy:3128',
        no_proxy: 'localhost',
        NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
        LAKE_REGISTRY_TOKEN: 'registry-secret',
        LAKE_SECRET_KEY: 'key',
        GITHUB_TOKEN: 'ghp_x',
        LAKE_DATABASE_URL: 'postgres://inherited',
        NODE_OPTIONS: '--require /tmp/evil.js',
        npm_config_registry: 'http://elsewhere/',
      },
      { LAKE_DATABASE_URL: 'sqlite:.lake/lake.db' },
    );
    expect(environment).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/lake',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TZ: 'UTC',
      TMPDIR: '/tmp',
      HTTPS_PROXY: 'http://proxy:3128',
      no_proxy: 'localhost',
      NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
      LAKE_DATABASE_URL: 'sqlite:.lake/lake.db',
    });
  });
});
