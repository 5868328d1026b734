// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addUser,
  generateSigningKey,
  publishTarball,
  type SigningKey,
  startRegistry,
} from '@lake-tools/registry-server';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { readLockfile } from '../src/install/lockfile.ts';
import { fixtureConnector, packPackage, sharedLibrary, writePackage } from './support/fixture-packages.ts';
import { cloneProject, createProject, type TestProject } from './support/lake-project.ts';
import { startTestRegistry, type TestRegistry } from './support/test-registry.ts';

const workspace = new URL('../../../', import.meta.url).pathname;
const lakeCli = join(workspace, 'packages/runtime/dist/cli.js');

let registry: TestRegistry;
let sdkVersion: string;
/** The team's key before the rotation, the key after it, and a key nobody trusts. */
let oldKey: SigningKey;
let newKey: SigningKey;
let strangerKey: SigningKey;

beforeAll(async () => {
  registry = await startTestRegistry();
  oldKey = generateSigningKey().key;
  newKey = generateSigningKey().key;
  strangerKey = generateSigningKey().key;
  const signedOld = { signWith: [oldKey] };
  sdkVersion = (await registry.publishWorkspacePackage(join(workspace, 'packages/sdk'), signedOld)).version;
  await registry.publish(sharedLibrary('1.0.0'), signedOld);
  const runnable = { sdk: sdkVersion, sharedLibrary: '1.0.0' };
  await registry.publish(fixtureConnector({ name: 'alpha', version: '1.0.0', ...runnable }), signedOld);
  // Released after the rotation: signed with the new key only.
  await registry.publish(fixtureConnector({ name: 'beta', version: '1.0.0', ...runnable }), { signWith: [newKey] });
  await registry.publish(fixtureConnector({ name: 'plain', version: '1.0.0' }));
  await registry.publish(fixtureConnector({ name: 'forged', version: '1.0.0' }), { signWith: [strangerKey] });
  // A signature by the trusted key, but over other bytes than the tarball's.
  const overOtherBytes: SigningKey = {
    ...oldKey,
    sign: (name, version) => oldKey.sign(name, version, `sha512-${'A'.repeat(86)}==`),
  };
  await registry.publish(fixtureConnector({ name: 'resigned', version: '1.0.0' }), { signWith: [overOtherBytes] });
}, 180_000);

afterAll(async () => {
  await registry?.stop();
});

/** Everything an install may change: lake.yaml, lake.lock, the working set and the directories. */
async function snapshot(project: TestProject) {
  return {
    manifest: await project.read('lake.yaml'),
    lock: await project.read('lake.lock').catch(() => ''),
    set: await project.read('.lake/connectors/installed.json').catch(() => ''),
    directories: await project.installedDirectories(),
    custom: await readdir(join(project.paths.lakeDirectory, 'custom')).catch(() => [] as string[]),
  };
}

function installedDirectory(project: TestProject, set: string, name: string): string {
  const parsed = JSON.parse(set) as { connectors: Record<string, { directory: string }> };
  return join(project.paths.connectors, parsed.connectors[name]!.directory);
}

function scope(label: string, extra: Record<string, unknown> = {}) {
  return { id: label, scope: { label, count: 5, ...extra } };
}

/** A project with the alpha connector and one connection of one scope, its token in the environment. */
async function alphaProject(extra: Record<string, unknown> = {}): Promise<TestProject> {
  const project = await createProject({
    registryUrl: registry.url,
    token: registry.token,
    connectors: { alpha: '1.0.0' },
    connections: [
      {
        name: 'alpha-main',
        connector: 'alpha',
        id: 1,
        settings: { token: '${FIXTURE_TOKEN}' },
        scopes: [scope('one')],
      },
    ],
    extra,
  });
  project.environment.FIXTURE_TOKEN = 'alpha-token-value';
  return project;
}

describe('signatures come from the registry, not the cache', () => {
  it('reads them fresh under --prefer-offline, even where another registry once answered at the same address', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'lake-shared-cache-'));
    const gamma = await packPackage(fixtureConnector({ name: 'gamma', version: '1.0.0' }));
    // An earlier registry at this address served gamma unsigned; an install cached its metadata.
    const earlier = await startRegistry({ directory: await mkdtemp(join(tmpdir(), 'lake-earlier-')), port: 0 });
    const port = Number(new URL(earlier.url).port);
    const earlierToken = (await addUser(earlier.url, 'earlier', 'earlier-password')).token;
    await publishTarball(earlier.url, earlierToken, gamma);
    const first = await createProject({
      registryUrl: earlier.url,
      token: earlierToken,
      connectors: { gamma: '1.0.0' },
      cacheDirectory: cache,
    });
    const cached = await first.lake('install');
    expect(cached.code, cached.stderr).toBe(0);
    await earlier.close();
    // The registry now at that address holds the same tarball, signed by the team's key.
    const later = await startRegistry({ directory: await mkdtemp(join(tmpdir(), 'lake-later-')), port });
    try {
      const laterToken = (await addUser(later.url, 'later', 'later-password')).token;
      await publishTarball(later.url, laterToken, gamma, { signWith: [oldKey] });
      const project = await createProject({
        registryUrl: later.url,
        token: laterToken,
        connectors: { gamma: '1.0.0' },
        cacheDirectory: cache,
        extra: { trust: { keys: [oldKey.publicKey] } },
      });
      expect(project.environment.LAKE_PREFER_OFFLINE).toBe('1');
      const installed = await project.lake('install');
      expect(installed.code, installed.stderr).toBe(0);
      const signatures = (await readLockfile(project.paths))!.connectors.gamma!.signatures ?? {};
      expect(Object.values(signatures).map((signature) => signature.keyid)).toEqual([oldKey.keyid]);
    } finally {
      await later.close();
    }
  });
});

describe('signed connectors', () => {
  let project: TestProject;

  it('installs a signed connector and records the signatures of every @lake package in lake.lock', async () => {
    project = await alphaProject({ trust: { keys: [oldKey.publicKey] } });
    const installed = await project.lake('install');
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).not.toContain('signatures are not checked');
    const entry = (await readLockfile(project.paths))!.connectors.alpha!;
    expect(Object.keys(entry.signatures ?? {}).sort()).toEqual([
      'node_modules/@lake/connector-alpha',
      'node_modules/@lake/fixture-shared-lib',
      'node_modules/@lake/sdk',
    ]);
    for (const signature of Object.values(entry.signatures!)) expect(signature.keyid).toBe(oldKey.keyid);
    expect(entry.filesDigest).toMatch(/^sha256-/);
    expect((await project.lake('sync')).code).toBe(0);
  });

  it('refuses unsigned and wrongly signed connectors with nothing changed', async () => {
    const before = await snapshot(project);
    const refusals: Array<[string, string]> = [
      ['plain', '@lake/connector-plain@1.0.0 is not signed'],
      ['forged', `is signed only by ${strangerKey.keyid}, which lake.yaml does not trust`],
      ['resigned', `its signature by ${oldKey.keyid} does not match`],
    ];
    for (const [name, message] of refusals) {
      const refused = await project.lake('add', `${name}@1.0.0`, '--json');
      expect(refused.code, name).toBe(1);
      const error = JSON.parse(refused.stdout).error as { code: string; message: string };
      expect(error.code, name).toBe('SIGNATURE_INVALID');
      expect(error.message, name).toContain(message);
      expect(await snapshot(project), name).toEqual(before);
    }

    // A custom connector carries no registry signature: refused unless lake.yaml allows it
    // unsigned, and its packed tarball does not stay behind.
    const custom = await writePackage(fixtureConnector({ name: 'mine', version: '0.1.0' }));
    const unsigned = await project.lake('add', 'mine', '--path', custom);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toContain('custom connector mine carries no registry signature');
    expect(unsigned.stderr).toContain('allowUnsigned: true');
    expect(await snapshot(project)).toEqual(before);
    const manifest = parse(await project.read('lake.yaml'));
    manifest.connectors.mine = { path: custom, allowUnsigned: true };
    await writeFile(project.paths.manifest, stringify(manifest));
    const allowed = await project.lake('install');
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(/mine +added +0\.1\.0 +path/);
  });

  it('keeps working through a key rotation (old and new listed), and a removed key fails loudly with the fix', async () => {
    const manifest = parse(await project.read('lake.yaml'));
    manifest.trust.keys = [oldKey.publicKey, newKey.publicKey];
    await writeFile(project.paths.manifest, stringify(manifest));
    const added = await project.lake('add', 'beta@1.0.0');
    expect(added.code, added.stderr).toBe(0);
    const lock = (await readLockfile(project.paths))!;
    expect(lock.connectors.beta!.signatures!['node_modules/@lake/connector-beta']!.keyid).toBe(newKey.keyid);
    expect(lock.connectors.beta!.signatures!['node_modules/@lake/sdk']!.keyid).toBe(oldKey.keyid);

    // Deployed from the lock: the recorded signatures are checked offline against the keys.
    const checkout = await cloneProject(project);
    const frozen = await checkout.lake('install', '--frozen');
    expect(frozen.code, frozen.stderr).toBe(0);
    expect(await checkout.read('lake.lock')).toBe(await project.read('lake.lock'));

    // The old key is dropped while the lock still holds what it signed.
    const rotated = parse(await checkout.read('lake.yaml'));
    rotated.trust.keys = [newKey.publicKey];
    await writeFile(checkout.paths.manifest, stringify(rotated));
    const before = await snapshot(checkout);
    const refused = await checkout.lake('install', '--frozen');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`signed by ${oldKey.keyid}, which trust.keys no longer lists`);
    expect(refused.stderr).toContain('Run `lake install`');
    expect(await snapshot(checkout)).toEqual(before);
    // Re-resolving asks the registry for current signatures: it has none by a trusted key.
    const resolving = await checkout.lake('install');
    expect(resolving.code).toBe(1);
    expect(resolving.stderr).toContain(`is signed only by ${oldKey.keyid}, which lake.yaml does not trust`);
    expect(await snapshot(checkout)).toEqual(before);
  });
});

describe('what runs is what the lock names', () => {
  let project: TestProject;
  let set: string;

  beforeAll(async () => {
    project = await alphaProject();
    const installed = await project.lake('install');
    expect(installed.code, installed.stderr).toBe(0);
    // No trust.keys: the migration default installs unsigned packages, and says so.
    expect(installed.stderr).toContain('lake.yaml lists no trust.keys, so package signatures are not checked');
    set = await project.read('.lake/connectors/installed.json');
  });

  it('refuses to sync a tampered installed file, naming it, and lake install repairs it', async () => {
    const file = join(installedDirectory(project, set, 'alpha'), 'node_modules/@lake/connector-alpha/index.js');
    const original = await readFile(file, 'utf8');
    await writeFile(file, `${original}\nprocess.env.STOLEN = 'yes';\n`);
    const refused = await project.lake('sync');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      'refusing to run alpha 1.0.0: 1 file(s) differ from what was installed: changed node_modules/@lake/connector-alpha/index.js',
    );
    const verified = await project.lake('verify');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain('changed node_modules/@lake/connector-alpha/index.js');

    const repaired = await project.lake('install');
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(repaired.stdout).toMatch(/alpha +repaired +1\.0\.0/);
    expect(repaired.stderr).toContain('changed node_modules/@lake/connector-alpha/index.js');
    expect(await readFile(file, 'utf8')).toBe(original);
    expect((await project.lake('sync')).code).toBe(0);
    expect((await project.lake('install')).stdout).toMatch(/alpha +unchanged +1\.0\.0/);

    // An added file is drift too; --frozen repairs it the same way, --force reinstalls everything.
    await writeFile(join(installedDirectory(project, set, 'alpha'), 'node_modules/@lake/sdk/extra.js'), 'x();\n');
    const frozen = await project.lake('install', '--frozen');
    expect(frozen.stdout).toMatch(/alpha +repaired +1\.0\.0/);
    expect(frozen.stderr).toContain('added node_modules/@lake/sdk/extra.js');
    const forced = await project.lake('install', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/alpha +reinstalled +1\.0\.0/);
  });

  it('is not fooled by a file rewritten together with its hash in lake-install.json', async () => {
    const directory = installedDirectory(project, set, 'alpha');
    const file = join(directory, 'node_modules/@lake/connector-alpha/index.js');
    await writeFile(file, `${await readFile(file, 'utf8')}\n// rewritten\n`);
    const recordFile = join(directory, 'lake-install.json');
    const record = JSON.parse(await readFile(recordFile, 'utf8'));
    const { createHash } = await import('node:crypto');
    record.files['node_modules/@lake/connector-alpha/index.js'] = `sha256-${createHash('sha256')
      .update(await readFile(file))
      .digest('base64')}`;
    await writeFile(recordFile, JSON.stringify(record));

    const verified = await project.lake('verify');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain('lake-install.json was rewritten to match them');
    const doctor = await project.lake('doctor', '--json');
    expect(doctor.code).toBe(1);
    const checks = JSON.parse(doctor.stdout) as Array<{ check: string; ok: boolean; detail: string }>;
    expect(checks.find((check) => check.check === 'installed')).toMatchObject({ ok: false });
    const synced = await project.lake('sync');
    expect(synced.code).toBe(1);
    expect(synced.stdout).toContain('refusing to run alpha 1.0.0');
    expect((await project.lake('install')).stdout).toMatch(/alpha +repaired/);
  });

  it('refuses an edited top-level integrity in lake.lock everywhere, and nothing takes it over', async () => {
    const lockText = await project.read('lake.lock');
    const entry = (await readLockfile(project.paths))!.connectors.alpha!;
    const forged = `sha512-${'Q'.repeat(86)}==`;
    // The connector's own field (four spaces in), not its package's entry in the closure.
    await writeFile(
      project.paths.lock,
      lockText.replace(`\n    integrity: ${entry.integrity}\n`, `\n    integrity: ${forged}\n`),
    );
    expect(await project.read('lake.lock')).toContain(forged);
    const setBefore = await project.read('.lake/connectors/installed.json');
    for (const command of [['verify'], ['install'], ['install', '--frozen'], ['sync']]) {
      const refused = await project.lake(...command, '--json');
      expect(refused.code, command.join(' ')).not.toBe(0);
      expect(JSON.parse(refused.stdout.split('\n').find((line) => line.includes('"error"'))!).error.code).toBe(
        'INTEGRITY_MISMATCH',
      );
    }
    const doctor = JSON.parse((await project.lake('doctor', '--json')).stdout) as Array<{ check: string; ok: boolean }>;
    expect(doctor.find((check) => check.check === 'lock')?.ok).toBe(false);
    expect(doctor.find((check) => check.check === 'installed')?.ok).toBe(false);
    const setAfter = await project.read('.lake/connectors/installed.json');
    expect(setAfter).toBe(setBefore);
    expect(setAfter).not.toContain(forged);
    await writeFile(project.paths.lock, lockText);
  });

  it('names the package when the installed closure differs from the lock', async () => {
    const lockText = await project.read('lake.lock');
    const lock = (await readLockfile(project.paths))!;
    const library = lock.connectors.alpha!.packages['node_modules/@lake/fixture-shared-lib']!;
    // As if lake.lock had been pulled with another version of a dependency.
    await writeFile(project.paths.lock, lockText.replaceAll(library.integrity, `sha512-${'R'.repeat(86)}==`));
    const verified = await project.lake('verify');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(
      `node_modules/@lake/fixture-shared-lib 1.0.0: installed ${library.integrity}, lake.lock sha512-${'R'.repeat(86)}==`,
    );
    await writeFile(project.paths.lock, lockText);
  });

  it('takes a lock written before file digests: sync asks for an install, which records the same digest', async () => {
    const lockText = await project.read('lake.lock');
    const digest = (await readLockfile(project.paths))!.connectors.alpha!.filesDigest!;
    await writeFile(project.paths.lock, lockText.replace(`    filesDigest: ${digest}\n`, ''));
    const refused = await project.lake('sync');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('lake.lock records no digest of its files');
    const installed = await project.lake('install', '--frozen');
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toMatch(/alpha +reinstalled +1\.0\.0/);
    expect(installed.stderr).toContain('alpha: lake.lock now records the digest of its installed files');
    // Reproduced byte for byte from the tarballs the lock names.
    expect(await project.read('lake.lock')).toBe(lockText);
  });

  it("gives a connector process none of the runtime's secrets", async () => {
    const environmentFile = join(project.paths.root, 'connector-environment.json');
    const manifest = parse(await project.read('lake.yaml'));
    manifest.connections[0].scopes = [scope('one', { environmentFile })];
    await writeFile(project.paths.manifest, stringify(manifest));
    const secrets = {
      LAKE_REGISTRY_TOKEN: 'registry-token-not-for-connectors',
      GITHUB_TOKEN: 'ghp_not_for_this_connector',
      LAKE_SECRET_KEY: 'a-secret-key-not-for-connectors',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-not-for-connectors',
      HTTPS_PROXY: 'http://proxy.internal:3128',
      LANG: 'C.UTF-8',
    };
    Object.assign(project.environment, secrets);
    const synced = await project.lake('sync');
    expect(synced.code, synced.stdout + synced.stderr).toBe(0);
    const seen = JSON.parse(await readFile(environmentFile, 'utf8')) as Record<string, string>;
    const text = JSON.stringify(seen);
    for (const name of [
      'LAKE_REGISTRY_TOKEN',
      'GITHUB_TOKEN',
      'LAKE_SECRET_KEY',
      'AWS_SECRET_ACCESS_KEY',
      'FIXTURE_TOKEN',
    ]) {
      expect(seen[name], name).toBeUndefined();
    }
    for (const value of [...Object.values(secrets).slice(0, 4), registry.token, 'alpha-token-value']) {
      expect(text).not.toContain(value);
    }
    // What it needs is there: where to write, how to reach the network, its locale.
    expect(seen.LAKE_DATABASE_URL).toBe('sqlite:.lake/lake.db');
    expect(seen.PATH).toBe(process.env.PATH);
    expect(seen.HTTPS_PROXY).toBe('http://proxy.internal:3128');
    expect(seen.LANG).toBe('C.UTF-8');
    for (const name of Object.keys(secrets)) delete project.environment[name];
  });

  /**
   * `lake sync` (the built CLI, a process of its own) of one scope whose connector writes
   * nothing for ten minutes — it would not even notice a closed stdout — once that connector
   * has begun collecting.
   */
  async function startLongSync(id: string): Promise<{ lake: ChildProcess; connector: number }> {
    const started = join(project.paths.root, `${id}-started.json`);
    const manifest = parse(await project.read('lake.yaml'));
    manifest.connections[0].scopes = [
      { id, scope: { label: id, count: 1, delayMs: 600_000, environmentFile: started } },
    ];
    await writeFile(project.paths.manifest, stringify(manifest));
    const lake = spawn(process.execPath, [lakeCli, 'sync'], {
      cwd: project.paths.root,
      env: project.environment,
      stdio: 'ignore',
    });
    return { lake, connector: await childOf(lake, started) };
  }

  async function runsOf(scopeId: string, ...flags: string[]) {
    const runs = JSON.parse((await project.lake('status', '--json', ...flags)).stdout) as Array<{
      scopeId: string;
      status: string;
      stream: string;
    }>;
    return runs.filter((run) => run.scopeId === scopeId);
  }

  it('stops the connector when lake is killed, and marks the runs it left running as interrupted', async () => {
    const { lake, connector } = await startLongSync('slow');
    lake.kill('SIGKILL');
    await exited(lake);
    // Its parent is gone: the connector stops on its own (after its batch, or 10 s later at
    // most), long before its ten minutes are up.
    await waitFor(() => !isAlive(connector), 90_000);
    // The console's look (`--read-only`) shows them interrupted and writes nothing: the lake
    // still records them running until a `lake status` marks them.
    const looked = await runsOf('slow', '--read-only');
    expect(looked.length).toBeGreaterThan(0);
    expect(looked.map((run) => run.status)).not.toContain('running');
    expect(looked.map((run) => run.status)).toContain('interrupted');
    expect(await recordedStatuses('slow')).toContain('running');
    const slow = await runsOf('slow');
    expect(slow.length).toBeGreaterThan(0);
    expect(slow.map((run) => run.status)).not.toContain('running');
  });

  /** The statuses `_lake_runs` holds for a scope, read straight from the SQLite file. */
  async function recordedStatuses(scopeId: string): Promise<string[]> {
    const database = new Database(join(project.paths.root, '.lake/lake.db'), { readonly: true });
    try {
      const rows = database
        .prepare('SELECT status FROM _lake_runs WHERE scope_id = @scope')
        .all({ scope: scopeId }) as Array<{ status: string }>;
      return rows.map((row) => row.status);
    } finally {
      database.close();
    }
  }

  it('marks the runs of a connector killed under a living lake as interrupted', async () => {
    const { lake, connector } = await startLongSync('killed');
    process.kill(connector, 'SIGKILL');
    expect(await exited(lake)).toBe(1);
    const killed = await runsOf('killed');
    expect(killed.find((run) => run.stream === 'items')?.status).toBe('interrupted');
    expect(killed.find((run) => run.stream === '*')?.status).toBe('failed');
  });
});

/** The connector process `lake` started, once it has begun collecting (it wrote `marker`). */
async function childOf(lake: ChildProcess, marker: string): Promise<number> {
  let pid: number | undefined;
  await waitFor(async () => {
    const text = (() => {
      try {
        return execFileSync('pgrep', ['-P', String(lake.pid)], { encoding: 'utf8' });
      } catch {
        return '';
      }
    })();
    pid = Number(text.trim().split('\n')[0]) || undefined;
    return (
      pid !== undefined &&
      (await readFile(marker).then(
        () => true,
        () => false,
      ))
    );
  }, 120_000);
  return pid!;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
