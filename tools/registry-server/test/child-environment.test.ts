import { describe, expect, it } from 'vitest';
import { packageManagerEnvironment } from '../src/child-environment.ts';

describe('packageManagerEnvironment', () => {
  it('drops settings inherited from pnpm or npm and keeps everything else', () => {
    const environment = packageManagerEnvironment(
      {
        PATH: '/usr/bin',
        NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
        npm_config_registry: 'https://registry.npmjs.org/',
        NPM_CONFIG_USERCONFIG: '/home/someone/.npmrc',
        npm_package_name: 'lake',
        npm_lifecycle_event: 'test',
        PNPM_SCRIPT_SRC_DIR: '/work',
        LAKE_REGISTRY_URL: 'http://127.0.0.1:4873/',
      },
      { npm_config_userconfig: '/tmp/npmrc' },
    );
    expect(environment).toEqual({
      PATH: '/usr/bin',
      NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
      LAKE_REGISTRY_URL: 'http://127.0.0.1:4873/',
      npm_config_userconfig: '/tmp/npmrc',
    });
  });
});
