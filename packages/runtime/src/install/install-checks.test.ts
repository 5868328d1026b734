// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRuntimeError } from '../errors.js';
import { checkContract, checkDowngrade, connectorMetadata, connectorPackageName } from './connector-metadata.js';
import { withInstallMutex } from './install-mutex.js';
import { npmFailure } from './npm-errors.js';

const release = { version: '2.0.0', contract: '1.3.0', shipped: { git: '0.4.0' } };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isRuntimeError(error) ? error.code : String(error);
  }
  return undefined;
}

describe('connector metadata', () => {
  const manifest = {
    name: '@lake/connector-git',
    version: '0.4.1',
    bin: { 'lake-connector-git': './dist/cli.js' },
    lake: { connector: 'git', contract: '^1.0.0', domainTypes: ['CODE'] },
  };

  it('reads the lake block and the connector CLI', () => {
    expect(connectorPackageName('azure_devops')).toBe('@lake/connector-azure-devops');
    expect(connectorMetadata('git', manifest)).toEqual({
      package: '@lake/connector-git',
      version: '0.4.1',
      connector: 'git',
      contract: '^1.0.0',
      domainTypes: ['CODE'],
      bin: 'dist/cli.js',
    });
    expect(connectorMetadata('git', { ...manifest, bin: 'cli.js' }).bin).toBe('cli.js');
  });

  it('refuses what is not a connector, another connector, a bad contract or no CLI', () => {
    expect(() => connectorMetadata('git', { ...manifest, lake: undefined })).toThrow('is not a Lake connector');
    expect(() => connectorMetadata('github', manifest)).toThrow('is the "git" connector, not "github"');
    expect(() => connectorMetadata('git', { ...manifest, lake: { connector: 'git', contract: 'soon' } })).toThrow(
      'lake.contract: expected a semver range',
    );
    expect(() => connectorMetadata('git', { ...manifest, bin: {} })).toThrow('has no "lake-connector-git" bin');
  });

  it('checks the contract and the shipped pin, naming both versions', () => {
    expect(
      codeOf(() => checkContract({ package: 'p', version: '1.0.0', contract: '^1.2.0' }, release)),
    ).toBeUndefined();
    expect(codeOf(() => checkContract({ package: 'p', version: '1.0.0', contract: '^2.0.0' }, release))).toBe(
      'CONNECTOR_INCOMPATIBLE',
    );
    expect(codeOf(() => checkDowngrade('git', '0.3.9', release, false))).toBe('DOWNGRADE_REFUSED');
    expect(codeOf(() => checkDowngrade('git', '0.3.9', release, true))).toBeUndefined();
    expect(codeOf(() => checkDowngrade('git', '0.4.0', release, false))).toBeUndefined();
    expect(codeOf(() => checkDowngrade('jira', '0.0.1', release, false))).toBeUndefined();
  });
});

describe("npm's errors in the runtime's words", () => {
  const failure = (code: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(`npm says ${code}`), { code, ...extra });

  it('maps each kind of failure to a code and a message naming the package and registry', () => {
    const integrity = npmFailure(
      failure('EINTEGRITY', { expected: 'sha512-a', found: 'sha512-b' }),
      '@lake/x@1.0.0',
      'R',
    );
    expect(integrity.code).toBe('INTEGRITY_MISMATCH');
    expect(integrity.message).toContain('expected sha512-a');
    expect(integrity.message).toContain('received sha512-b');
    expect(npmFailure(failure('E404'), '@lake/x', 'http://r/').message).toBe(
      '@lake/x is not in the registry http://r/',
    );
    expect(npmFailure(failure('ETARGET'), '@lake/x@^9', 'R').code).toBe('CONNECTOR_UNKNOWN');
    expect(npmFailure(failure('E401'), '@lake/x', 'R').message).toContain('set registry.token in lake.yaml');
    // A token that is there but refused: setting one is not the fix.
    const refused = npmFailure(failure('E401'), '@lake/x', 'R', {
      tokenSet: true,
      tokenReference: '${LAKE_REGISTRY_TOKEN}',
    }).message;
    expect(refused).not.toContain('set registry.token');
    expect(refused).toContain('is wrong, expired or has no access to @lake/x');
    expect(refused).toContain('update ${LAKE_REGISTRY_TOKEN}');
    expect(npmFailure(failure('ECONNREFUSED'), '@lake/x', 'R').message).toBe(
      'cannot reach R for @lake/x (ECONNREFUSED); check the address and the network, or install from the npm cache with --offline',
    );
    expect(npmFailure(failure('ENOTCACHED'), '@lake/x', 'R').message).toContain(
      '@lake/x is not in the npm cache, and --offline forbids the network',
    );
    expect(npmFailure(failure('EWHATEVER'), '@lake/x', 'R')).toMatchObject({ code: 'INSTALL_FAILED' });
    expect(npmFailure('plain text', '@lake/x', 'R').message).toContain('plain text');
  });
});

describe('the install mutex', () => {
  it('lets one install run at a time and takes over from a dead holder', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'lake-mutex-')), '.lake', 'install.lock');
    const order: string[] = [];
    const outer = withInstallMutex(file, async () => {
      order.push('outer');
      const inner = await withInstallMutex(file, async () => 'inner').catch((error: Error) => error.message);
      order.push(inner);
    });
    await outer;
    expect(order[0]).toBe('outer');
    expect(order[1]).toContain(`another lake install (pid ${process.pid}) is running`);

    // A lock left by a process that no longer exists is taken over.
    await writeFile(file, '2147483646');
    expect(await withInstallMutex(file, async () => 'ran')).toBe('ran');
  });
});
