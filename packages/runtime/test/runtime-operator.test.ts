// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { spawn } from 'node:child_process';
import { access, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { isRuntimeError } from '../src/errors.ts';
import { installProject } from '../src/install/installer.ts';
import { SecretStore } from '../src/secrets/secret-store.ts';
import { fixtureConnector, packPackage, writePackage } from './support/fixture-packages.ts';
import { createProject, release, type TestProject } from './support/lake-project.ts';
import { startTestRegistry, type TestRegistry } from './support/test-registry.ts';

const workspace = new URL('../../../', import.meta.url).pathname;
const lakeCli = join(workspace, 'packages/runtime/dist/cli.js');
let registry: TestRegistry;

beforeAll(async () => {
  registry = await startTestRegistry();
  const { version: sdk } = await registry.publishWorkspacePackage(join(workspace, 'packages/sdk'));
  for (const fixture of [
    fixtureConnector({ name: 'alpha', version: '1.0.0', sdk }),
    fixtureConnector({ name: 'alpha', version: '1.1.0', sdk }),
    // Published for a contract this runtime does not implement.
    fixtureConnector({ name: 'alpha', version: '2.0.0', contract: '^2.0.0' }),
    fixtureConnector({ name: 'gamma', version: '0.1.0' }),
    fixtureConnector({ name: 'gamma', version: '0.2.0' }),
  ]) {
    await registry.publish(fixture);
  }
}, 120_000);

afterAll(async () => {
  await registry?.stop();
});

function alphaConnection(name: string, id: number, settings: Record<string, unknown>, scopes: unknown[]) {
  return { name, connector: 'alpha', id, settings, scopes };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** `lake <args>` as a process of its own (the built CLI), its stdout optionally closed at once. */
function lakeProcess(
  project: TestProject,
  args: string[],
  options: { closeStdout?: boolean; onStderr?: (text: string) => void } = {},
) {
  const child = spawn(process.execPath, [lakeCli, ...args], {
    cwd: project.paths.root,
    env: project.environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  // A reader that went away: every write lake makes hits a closed pipe.
  if (options.closeStdout) child.stdout.destroy();
  else child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    options.onStderr?.(stderr);
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

describe("settings checked against the installed connector's schema", () => {
  let project: TestProject;

  it('lake install, lake check and lake doctor name every setting that does not fit, before any sync', async () => {
    project = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: { alpha: '~1.0.0' },
      connections: [
        alphaConnection('alpha-main', 1, { tokn: '${FIXTURE_TOKEN}' }, [
          { id: 'one', scope: { label: 'one', count: 'many' } },
        ]),
      ],
    });
    project.environment.FIXTURE_TOKEN = 'fixture-token-value';
    const installed = await project.lake('install');
    expect(installed.code, installed.stderr).toBe(2);
    expect(installed.stdout).toMatch(/alpha +added +1\.0\.0/);
    const expected = [
      /line \d+: connections\[0\]\.settings\.tokn: unknown key \(expected token\)/,
      /line \d+: connections\[0\]\.settings\.token: required/,
      /line \d+: connections\[0\]\.scopes\[0\]\.scope\.count: expected number, received string/,
    ];
    for (const pattern of expected) expect(installed.stderr).toMatch(pattern);

    const checked = await project.lake('check');
    expect(checked.code).toBe(2);
    for (const pattern of expected) expect(checked.stdout).toMatch(pattern);
    const json = JSON.parse((await project.lake('check', '--json')).stdout) as {
      connections: Array<{ issues: Array<{ path: string; line: number }> }>;
    };
    expect(json.connections[0]!.issues.map((issue) => issue.path).sort()).toEqual([
      'connections[0].scopes[0].scope.count',
      'connections[0].settings.token',
      'connections[0].settings.tokn',
    ]);

    const doctor = await project.lake('doctor', '--json');
    const checks = JSON.parse(doctor.stdout) as Array<{ check: string; ok: boolean; detail: string }>;
    expect(checks.find((check) => check.check === 'settings')).toMatchObject({ ok: false });
    expect(checks.find((check) => check.check === 'settings')!.detail).toContain('connections[0].settings.tokn');

    await writeFile(
      project.paths.manifest,
      (await project.read('lake.yaml')).replace('tokn:', 'token:').replace('count: many', 'count: 3'),
    );
    const fixed = await project.lake('check');
    expect(fixed.code, fixed.stdout).toBe(0);
    expect(fixed.stdout).toMatch(/ok +alpha-main \(alpha\): settings and 1 scope/);
  });

  it('lake doctor looks at the database without creating it', async () => {
    const doctor = await project.lake('doctor', '--json');
    const checks = JSON.parse(doctor.stdout) as Array<{ check: string; ok: boolean; detail: string }>;
    expect(checks.find((check) => check.check === 'database')).toMatchObject({ ok: true });
    expect(checks.find((check) => check.check === 'database')!.detail).toContain(
      'does not exist yet; the first `lake sync` creates it',
    );
    expect(await exists(join(project.paths.lakeDirectory, 'lake.db'))).toBe(false);
  });

  it('lake test-connection asks the connection its connector', async () => {
    const tested = await project.lake('test-connection', 'alpha-main');
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toContain('ok alpha-main (alpha): fixture');
    expect((await project.lake('test-connection', 'nowhere')).code).toBe(2);
    delete project.environment.FIXTURE_TOKEN;
    const missing = await project.lake('test-connection', 'alpha-main');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('connections[0].settings.token: environment variable FIXTURE_TOKEN is not set');
    project.environment.FIXTURE_TOKEN = 'fixture-token-value';
  });

  const twoConnections = {
    registry: { url: '', token: '${LAKE_TEST_REGISTRY_TOKEN}' },
    connectors: { alpha: '~1.0.0' },
    connections: [
      alphaConnection('alpha-a', 1, { token: '${FIXTURE_TOKEN}' }, [
        { id: 'nice-name', scope: { label: 'raw-label', count: 2 } },
      ]),
      alphaConnection('alpha-b', 2, { token: '${OTHER_TOKEN}' }, [{ id: 'b', scope: { label: 'b', count: 2 } }]),
    ],
  };
  const named = 'connections[1].settings.token: environment variable OTHER_TOKEN is not set';

  it('a variable missing for one connection fails that connection alone, with exit 2', async () => {
    await writeFile(
      project.paths.manifest,
      stringify({ ...twoConnections, registry: { ...twoConnections.registry, url: registry.url } }),
    );
    const synced = await project.lake('sync');
    expect(synced.code).toBe(2);
    expect(synced.stdout).toMatch(/alpha-a · nice-name +alpha 1\.0\.0 +items +succeeded +2/);
    expect(synced.stdout).toContain(`alpha-b · b: ${named}`);
  });

  it('lake doctor names the missing variable by the path lake sync uses', async () => {
    const doctor = JSON.parse((await project.lake('doctor', '--json')).stdout) as Array<{
      check: string;
      detail: string;
    }>;
    expect(doctor.find((check) => check.check === 'references')!.detail).toBe(named);
  });

  it('lake status names a scope as lake.yaml and `lake sync --scope` do, not as the connector does', async () => {
    expect((await project.lake('sync', 'alpha-a', '--scope', 'nice-name')).code).toBe(0);
    const status = await project.lake('status');
    expect(status.stdout).toMatch(/alpha-a +nice-name +items/);
    expect(status.stdout).not.toContain('raw-label');
  });
});

describe('lake.yaml edited as a document', () => {
  it('add and remove change one line, keeping comments and layout', async () => {
    const project = await createProject({ registryUrl: registry.url, token: registry.token, connectors: {} });
    const text = `# Our lake. Keep the comments.
registry:
  url: ${registry.url}   # the team registry
  token: \${LAKE_TEST_REGISTRY_TOKEN}

connectors:
  alpha: "~1.0.0"      # pinned on purpose

connections:
  - { name: alpha-main, connector: alpha, id: 1, settings: { token: "\${FIXTURE_TOKEN}" }, scopes: [{ id: one, scope: { label: one, count: 1 } }] }
`;
    await writeFile(project.paths.manifest, text);
    const added = await project.lake('add', 'gamma@0.1.0');
    expect(added.code, added.stderr).toBe(0);
    expect(await project.read('lake.yaml')).toBe(
      text.replace(
        '  alpha: "~1.0.0"      # pinned on purpose\n',
        '  alpha: "~1.0.0"      # pinned on purpose\n  gamma: 0.1.0\n',
      ),
    );
    const removed = await project.lake('remove', 'gamma');
    expect(removed.code, removed.stderr).toBe(0);
    expect(await project.read('lake.yaml')).toBe(text);
  });

  it('lake add is how a connection naming an unlisted connector is fixed', async () => {
    const project = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: {},
      connections: [alphaConnection('alpha-main', 1, { token: 'x' }, [{ scope: { label: 'one', count: 1 } }])],
    });
    const invalid = await project.lake('install');
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('connector "alpha" is not listed under connectors (add it with `lake add alpha`)');
    const added = await project.lake('add', 'alpha@~1.0.0');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/alpha +added +1\.0\.0/);
  });
});

describe('versions', () => {
  it('a range takes the newest version this runtime runs, and outdated marks the ones it cannot', async () => {
    const project = await createProject({ registryUrl: registry.url, token: registry.token, connectors: {} });
    const added = await project.lake('add', 'alpha@>=1.0.0');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/alpha +added +1\.1\.0/);
    expect(added.stderr).toContain('alpha: 2.0.0 matches >=1.0.0 but needs another connector contract');
    const outdated = await project.lake('outdated');
    expect(outdated.code).toBe(0);
    expect(outdated.stdout).toMatch(
      /alpha +user +>=1\.0\.0 +1\.1\.0 +- +1\.1\.0 +2\.0\.0 \(incompatible\) +2\.0\.0 needs contract \^2\.0\.0/,
    );
  });

  it('the --frozen hint after a runtime upgrade names lake upgrade, and a downgrade refusal names a command that exists', async () => {
    const project = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: { alpha: 'shipped' },
    });
    await installProject(project.paths, {
      release: release('1.0.0', { alpha: '1.0.0' }),
      environment: project.environment,
    });
    const newer = release('1.1.0', { alpha: '1.1.0' });
    const frozen = await installProject(project.paths, {
      release: newer,
      environment: project.environment,
      frozen: true,
    }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(isRuntimeError(frozen, 'LOCK_MISMATCH')).toBe(true);
    expect(frozen!.message).toContain('alpha: locked at 1.0.0, but @lake/runtime 1.1.0 ships 1.1.0');
    expect(frozen!.message).toContain('run `lake upgrade`');
    expect(frozen!.message).not.toContain('without --frozen');

    const downgrade = await installProject(project.paths, {
      release: release('1.0.0', { alpha: '1.0.0', gamma: '0.2.0' }),
      environment: project.environment,
      manifestText: (await project.read('lake.yaml')).replace('alpha: shipped', 'alpha: shipped\n  gamma: 0.1.0'),
    }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(isRuntimeError(downgrade, 'DOWNGRADE_REFUSED')).toBe(true);
    expect(downgrade!.message).toContain('`lake add gamma@0.1.0 --allow-downgrade`');
    // The command it names is one lake takes.
    const named = await project.lake('add', 'gamma@0.1.0', '--allow-downgrade');
    expect(named.code, named.stderr).toBe(0);
  });

  let custom: TestProject;

  it('lake upgrade of an unchanged custom connector says unchanged', async () => {
    const directory = await writePackage(fixtureConnector({ name: 'mine', version: '1.0.0' }));
    custom = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: { mine: { path: directory } },
    });
    expect((await custom.lake('install')).code).toBe(0);
    const upgraded = await custom.lake('upgrade', 'mine');
    expect(upgraded.code, upgraded.stderr).toBe(0);
    expect(upgraded.stdout).toMatch(/mine +unchanged +1\.0\.0 +path/);
    expect(upgraded.stdout).not.toContain('→');
  });

  it('a refused custom connector leaves no tarball in .lake/custom', async () => {
    const before = await readdir(custom.paths.custom);
    const tarball = join(await mkdtemp(join(tmpdir(), 'lake-tarball-')), 'newer.tgz');
    await writeFile(
      tarball,
      await packPackage(fixtureConnector({ name: 'newer', version: '1.0.0', contract: '^2.0.0' })),
    );
    const refused = await custom.lake('add', 'newer', '--tarball', tarball);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('needs connector contract ^2.0.0');
    expect(await readdir(custom.paths.custom)).toEqual(before);
  });
});

describe('the registry', () => {
  it('calls a refused token wrong, not missing', async () => {
    // A cache of its own: the shared one may hold the metadata, and then nothing is asked.
    const project = await createProject({
      registryUrl: registry.url,
      token: 'not-the-token',
      connectors: {},
      cacheDirectory: await mkdtemp(join(tmpdir(), 'lake-token-cache-')),
    });
    const refused = await project.lake('add', 'alpha@1.0.0');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is wrong, expired or has no access to');
    expect(refused.stderr).toContain('update ${LAKE_TEST_REGISTRY_TOKEN}');
    expect(refused.stderr).not.toContain('set registry.token');
  });

  it('fails at once with a clear message when unreachable, says when the cache answered, and --offline uses it on purpose', async () => {
    // The registry behind a forwarder that can be switched off: same address, nobody answering.
    const forwarder = await forwardTo(registry.port);
    const address = `http://127.0.0.1:${forwarder.port}/`;
    const project = await createProject({
      registryUrl: address,
      token: registry.token,
      connectors: { gamma: '0.1.0' },
      cacheDirectory: await mkdtemp(join(tmpdir(), 'lake-offline-cache-')),
    });
    delete project.environment.LAKE_PREFER_OFFLINE;
    expect((await project.lake('install')).code).toBe(0);
    await forwarder.close();

    const unreachable = await project.lake('add', 'gamma@0.2.0');
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`cannot reach ${address}`);
    expect(unreachable.stderr).toContain('--offline');
    // What the cache holds still installs, and the operator is told where it came from.
    const fromCache = await project.lake('upgrade', 'gamma');
    expect(fromCache.code, fromCache.stderr).toBe(0);
    expect(fromCache.stderr).toContain(`${address} did not answer: the metadata of @lake/connector-gamma`);
    expect(fromCache.stderr).toContain('came from the npm cache and may be out of date');

    const offline = await project.lake('install', '--frozen', '--force', '--offline');
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stdout).toMatch(/gamma +reinstalled +0\.1\.0/);
    expect(offline.stderr).not.toContain('did not answer');
    const notCached = await project.lake('add', 'gamma@0.2.0', '--offline');
    expect(notCached.code).toBe(1);
    expect(notCached.stderr).toContain('is not in the npm cache, and --offline forbids the network');
  });
});

describe('the lake process', () => {
  let project: TestProject;

  beforeAll(async () => {
    project = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: { alpha: '~1.0.0' },
      connections: [
        alphaConnection('alpha-main', 1, { token: 'literal' }, [{ id: 'one', scope: { label: 'one', count: 3 } }]),
      ],
      extra: { schedules: [{ name: 'every-second', cron: '* * * * * *' }] },
    });
    expect((await project.lake('install')).code).toBe(0);
  });

  it('finishes quietly, with its own exit code, when its reader goes away', async () => {
    const info = await lakeProcess(project, ['info', 'alpha'], { closeStdout: true }).done;
    expect(info.code).toBe(0);
    expect(info.stderr).not.toMatch(/EPIPE|Error|at /);
    const sync = await lakeProcess(project, ['sync'], { closeStdout: true }).done;
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stderr).not.toMatch(/EPIPE|Error:/);
  });

  it('lake schedule prints each tick once and exits 130 on Ctrl-C', async () => {
    let ticks = 0;
    const schedule = lakeProcess(project, ['schedule'], {
      onStderr: (text) => {
        ticks = text.split('every-second (started').length - 1;
      },
    });
    const deadline = Date.now() + 120_000;
    while (ticks < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    schedule.child.kill('SIGINT');
    const { code, stderr } = await schedule.done;
    expect(code).toBe(130);
    // How each stream ended is told once per tick, by its progress line; the tick adds one
    // line, not the sync's table and facts again.
    const tickLines = stderr.split('\n').filter((line) => line.startsWith('every-second (started'));
    expect(tickLines.length).toBeGreaterThanOrEqual(2);
    for (const line of tickLines) expect(line).toMatch(/: 1 scope\(s\), 3 records in .*; all succeeded$/);
    const streamLines = stderr.split('\n').filter((line) => line.includes('items: succeeded, 3 records'));
    expect(streamLines.length).toBeLessThanOrEqual(tickLines.length + 1);
    expect(stderr).not.toContain('tool rows');
  });

  it('lake secret set reads the value from a terminal without echoing it', async () => {
    const secret = 'typed-secret-value-9f2c';
    const command = `${process.execPath} ${lakeCli} secret set typed`;
    // A real pseudo-terminal: script(1) runs lake on one and passes our keystrokes through.
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
      cwd: project.paths.root,
      env: { ...project.environment, TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 60_000;
    while (!output.includes('not shown') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    child.stdin.write(`${secret}\r`);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, output).toBe(0);
    expect(output).toContain('secret typed stored');
    expect(output).not.toContain(secret);
    expect((await SecretStore.open(project.paths, project.environment)).get('typed')).toBe(secret);
  });
});

/** A TCP forwarder to 127.0.0.1:`target` on a port of its own, until closed. */
function forwardTo(target: number): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((incoming) => {
    const outgoing = connect(target, '127.0.0.1');
    for (const socket of [incoming, outgoing]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    incoming.pipe(outgoing).pipe(incoming);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        port,
        close: () =>
          new Promise<void>((closed) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => closed());
          }),
      });
    });
  });
}
