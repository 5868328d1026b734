// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  addUser,
  packAndPublish,
  packageManagerEnvironment,
  type RunningRegistry,
  startRegistry,
} from '@lake-tools/registry-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { GUIDE_STEPS } from './guide-steps.ts';

const run = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const SKIPPED = new Set(['node_modules', '.lake', 'coverage', '.git', '.turbo']);

interface Outcome {
  code: number;
  output: string;
}

let workdir: string;
let copy: string;
let registry: RunningRegistry | undefined;
let environment: NodeJS.ProcessEnv;

/** Runs a guide step (`pnpm …`, `node …`, `lake …`) in `cwd`; `lake` is the copy's built runtime CLI. */
async function step(line: string, cwd = copy, extra: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  const [program, ...args] = line.split(' ');
  const [file, argv] =
    program === 'lake' ? [process.execPath, [join(copy, 'packages/runtime/dist/cli.js'), ...args]] : [program!, args];
  try {
    const { stdout, stderr } = await run(file, argv, {
      cwd,
      env: { ...environment, ...extra },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, output: plain(stdout + stderr) };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failure.code === 'number' ? failure.code : 1,
      output: plain(`${failure.stdout}${failure.stderr}`),
    };
  }
}

/** Output without terminal colours. */
function plain(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'lake-create-connector-'));
  copy = join(workdir, 'workspace');
  // A copy of the working tree (built packages included), so scaffolding changes nothing here.
  await cp(repositoryRoot, copy, { recursive: true, filter: (source) => !SKIPPED.has(source.split('/').at(-1)!) });
  for (const file of await readdir(join(copy, '.changeset'))) {
    if (file.endsWith('.md') && file !== 'README.md') await rm(join(copy, '.changeset', file));
  }
  // As on a fresh clone after `pnpm install`: the connector's dependencies are not built.
  for (const unbuilt of ['packages/sdk/dist', 'packages/testkit/dist']) {
    await rm(join(copy, unbuilt), { recursive: true, force: true });
  }
  environment = packageManagerEnvironment(process.env, { LAKE_PREFER_OFFLINE: '1' });
  const installed = await step('pnpm install --offline --frozen-lockfile');
  expect(installed.code, installed.output).toBe(0);
});

afterAll(async () => {
  await registry?.close();
  await rm(workdir, { recursive: true, force: true });
});

describe('pnpm create-connector, the way docs/authoring.md walks it', () => {
  it('takes back what it wrote when a step fails, so that the same command can be rerun', async () => {
    // A pnpm that always fails: the scaffold is written, then its install step fails.
    const bin = join(workdir, 'failing-bin');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'pnpm'), '#!/bin/sh\necho "pnpm: refused for the test" >&2\nexit 1\n', { mode: 0o755 });
    const failed = await step('node tools/create-connector/src/cli.ts broken', copy, {
      PATH: `${bin}:${environment.PATH ?? ''}`,
    });
    expect(failed.code, failed.output).toBe(1);
    expect(failed.output).toContain('created');
    expect(failed.output).toContain('removed connectors/broken and its changeset');
    await expect(readdir(join(copy, 'connectors'))).resolves.not.toContain('broken');
    await expect(readdir(join(copy, '.changeset'))).resolves.not.toContain('connector-broken.md');
  });

  it('scaffolds a connector that passes its tests and the registry check on day one', async () => {
    const scaffolded = await step(GUIDE_STEPS.scaffold);
    expect(scaffolded.code, scaffolded.output).toBe(0);
    expect(scaffolded.output).toContain('connectors/acme/src/streams/items-stream.ts');
    // The scaffold ran the new package's tests, the conformance suite among them, and they passed.
    expect(scaffolded.output).toMatch(/✓ test\/conformance\.test\.ts \(\d+ tests\)/);
    expect(scaffolded.output).toMatch(/Tests {2}\d+ passed \(\d+\)/);
    expect(scaffolded.output).not.toMatch(/Tests {2}\d+ failed/);

    const tested = await step(GUIDE_STEPS.test);
    expect(tested.code, tested.output).toBe(0);
    expect(tested.output).toMatch(/Tests {2}\d+ passed/);
    const recorded = JSON.parse(await readFile(join(copy, 'connectors/acme/tested-versions.json'), 'utf8'));
    expect(recorded.node).toContain(process.versions.node);

    const registryEntries = parse(await readFile(join(copy, 'registry/registry.yaml'), 'utf8')) as {
      connectors: Array<{ name: string; secretFields: string[]; support: string }>;
    };
    // The new connector joins those of the repository, in name order.
    const before = parse(await readFile(join(repositoryRoot, 'registry/registry.yaml'), 'utf8')) as {
      connectors: Array<{ name: string }>;
    };
    expect(registryEntries.connectors.map((entry) => entry.name)).toEqual(
      ['acme', ...before.connectors.map((entry) => entry.name)].sort(),
    );
    expect(registryEntries.connectors[0]).toMatchObject({ secretFields: ['token'], support: 'community' });
    const checked = await step(GUIDE_STEPS.registryCheck);
    expect(checked.code, checked.output).toBe(0);
    const linted = await step('pnpm biome ci connectors/acme .changeset registry');
    expect(linted.code, linted.output).toBe(0);
    const typechecked = await step('pnpm --filter @lake/connector-acme typecheck');
    expect(typechecked.code, typechecked.output).toBe(0);

    // A second connector of the same name is refused, naming why.
    const again = await step(GUIDE_STEPS.scaffold);
    expect(again.code).toBe(2);
    expect(again.output).toContain('connectors/acme already exists');
  });

  it('runs standalone, publishes to a private registry, and syncs from a runtime that installed it', async () => {
    const { startFakeAcme, TOKEN } = (await import(join(copy, 'connectors/acme/test/fake-acme.ts'))) as {
      startFakeAcme: () => Promise<{ url: string; api: { close(): Promise<void> } }>;
      TOKEN: string;
    };
    const fake = await startFakeAcme();
    try {
      expect((await step(GUIDE_STEPS.build)).code).toBe(0);
      await writeFile(
        join(copy, 'context.json'),
        JSON.stringify({ connection: { id: 1, endpoint: fake.url, token: TOKEN }, scope: { project: 'CORE' } }),
      );
      const connected = await step(GUIDE_STEPS.testConnection);
      expect(connected.output).toContain('ok: authenticated as lake-bot');
      const standalone = await step(GUIDE_STEPS.sync);
      expect(standalone.code, standalone.output).toBe(0);
      expect(standalone.output).toMatch(/items +succeeded +3 /);
      expect(standalone.output).not.toContain(TOKEN);

      registry = await startRegistry({ directory: join(workdir, 'registry'), port: 0 });
      const { token } = await addUser(registry.url, 'author', 'a-long-passphrase');
      await packAndPublish(registry.url, token, join(copy, 'packages/sdk'));
      expect((await packAndPublish(registry.url, token, join(copy, 'connectors/acme'))).version).toBe('0.1.0');
      await packAndPublish(registry.url, token, join(copy, 'registry'));

      const project = await mkdtemp(join(workdir, 'runtime-'));
      const manifest = {
        registry: { url: registry.url, token: '${LAKE_REGISTRY_TOKEN}' },
        connectors: {},
        connections: [] as unknown[],
      };
      await writeFile(join(project, 'lake.yaml'), stringify(manifest));
      const secrets = { LAKE_REGISTRY_TOKEN: token, ACME_TOKEN: TOKEN };
      const found = await step('lake search acme', project, secrets);
      expect(found.output).toMatch(/acme +0\.1\.0 +community +- +TICKET, CROSS/);
      const added = await step(GUIDE_STEPS.install, project, secrets);
      expect(added.code, added.output).toBe(0);
      expect(added.output).toMatch(/acme +added +0\.1\.0 +registry/);

      const withConnection = parse(await readFile(join(project, 'lake.yaml'), 'utf8')) as typeof manifest;
      withConnection.connections = [
        {
          name: 'acme-core',
          connector: 'acme',
          id: 1,
          settings: { endpoint: fake.url, token: '${ACME_TOKEN}' },
          scopes: [{ scope: { project: 'CORE' } }],
        },
      ];
      await writeFile(join(project, 'lake.yaml'), stringify(withConnection));
      const synced = await step(GUIDE_STEPS.runtimeSync, project, secrets);
      expect(synced.code, synced.output).toBe(0);
      expect(synced.output).toMatch(/acme-core · CORE +acme 0\.1\.0 +items +succeeded +3/);
      expect(synced.output).not.toContain(TOKEN);
      const status = await step(GUIDE_STEPS.status, project, secrets);
      expect(status.output).toMatch(/acme-core +CORE +items +0\.1\.0 +succeeded +3/);
    } finally {
      await fake.api.close();
    }
  });

  it("releases with changesets: pnpm changeset version applies the scaffold's changeset", async () => {
    const versioned = await step('pnpm changeset version');
    expect(versioned.code, versioned.output).toBe(0);
    const manifest = JSON.parse(await readFile(join(copy, 'connectors/acme/package.json'), 'utf8')) as {
      version: string;
    };
    expect(manifest.version).toBe('0.1.1');
    const changelog = await readFile(join(copy, 'connectors/acme/CHANGELOG.md'), 'utf8');
    expect(changelog).toContain('First release of the acme connector');
    await expect(readdir(join(copy, '.changeset'))).resolves.not.toContain('connector-acme.md');
  });
});
