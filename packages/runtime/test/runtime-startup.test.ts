import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRunnerFailure } from '../src/run/run-records.ts';

const run = promisify(execFile);
const lakeCli = new URL('../dist/cli.js', import.meta.url).pathname;

/** npm's installer and fetcher, the signature verifier, the SDK's store, drivers and HTTP client. */
const HEAVY = [
  '@npmcli/arborist',
  'pacote',
  'sigstore',
  '@sigstore/verify',
  'kysely',
  'better-sqlite3',
  'pg',
  'mysql2',
  'got',
];

/**
 * A resolve hook, loaded with `--import` into the `lake` process alone, that appends every
 * module URL the process resolves to `$LAKE_TEST_MODULES_FILE`.
 */
const RECORDER = `data:text/javascript,${encodeURIComponent(`
  import { registerHooks } from 'node:module';
  import { appendFileSync } from 'node:fs';
  const file = process.env.LAKE_TEST_MODULES_FILE;
  registerHooks({ resolve(specifier, context, next) { const found = next(specifier, context); appendFileSync(file, found.url + '\\n'); return found; } });
`)}`;

let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'lake-startup-'));
  await writeFile(
    join(project, 'lake.yaml'),
    'registry:\n  url: http://127.0.0.1:9/\nconnectors:\n  alpha: 1.0.0\nconnections: []\n',
  );
  // An installed connector whose description is cached, as after a first `lake info alpha`.
  const directory = 'alpha@1.0.0-000000000000';
  await mkdir(join(project, '.lake/connectors', directory), { recursive: true });
  await writeFile(
    join(project, '.lake/connectors/installed.json'),
    JSON.stringify({
      setVersion: 1,
      connectors: {
        alpha: {
          directory,
          package: '@lake/connector-alpha',
          version: '1.0.0',
          source: 'registry',
          integrity: 'sha512-',
          lockDigest: '',
          bin: 'dist/cli.js',
        },
      },
    }),
  );
  await mkdir(join(project, '.lake/cache/info'), { recursive: true });
  await writeFile(
    join(project, '.lake/cache/info', `${directory}.json`),
    JSON.stringify({
      name: 'alpha',
      version: '1.0.0',
      description: 'a connector',
      contract: { version: '1.0.0' },
      domainTypes: [],
      streams: [],
      schemas: {},
    }),
  );
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

/** The third-party packages `lake <args>` loaded (in the test project unless `args` start with `-C`), and its exit code. */
async function packagesLoadedBy(...args: string[]): Promise<{ packages: string[]; code: number; output: string }> {
  const file = join(project, `.modules-${args.join('-').replace(/[^a-z0-9-]/gi, '_')}`);
  await writeFile(file, '');
  let code = 0;
  let output = '';
  try {
    const result = await run(
      process.execPath,
      ['--import', RECORDER, lakeCli, ...(args[0] === '-C' ? [] : ['-C', project]), ...args],
      {
        env: { ...process.env, LAKE_TEST_MODULES_FILE: file, NODE_DISABLE_COMPILE_CACHE: '1' },
      },
    );
    output = result.stdout + result.stderr;
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    code = failed.code ?? 1;
    output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
  }
  const names = new Set<string>();
  for (const url of (await readFile(file, 'utf8')).split('\n')) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*\/node_modules\/)/.exec(url);
    if (match?.[1]) names.add(match[1]);
  }
  return { packages: [...names].sort(), code, output };
}

describe('commands that only look load nothing heavy', () => {
  for (const args of [['list'], ['status'], ['info', 'alpha'], ['verify'], ['--help']]) {
    it(`lake ${args.join(' ')}`, async () => {
      const { packages, output, code } = await packagesLoadedBy(...args);
      expect(output).not.toMatch(/ERR_|TypeError|SyntaxError/);
      // verify finds alpha installed but not locked: it answers, with exit 1.
      expect(code, output).toBe(args[0] === 'verify' ? 1 : 0);
      expect(packages.filter((name) => HEAVY.includes(name))).toEqual([]);
    });
  }

  it("lake status with runs in SQLite reads them without the SDK's store (kysely)", async () => {
    const runsProject = await mkdtemp(join(tmpdir(), 'lake-startup-runs-'));
    try {
      await writeFile(join(runsProject, 'lake.yaml'), 'connectors:\n  alpha: 1.0.0\nconnections: []\n');
      await mkdir(join(runsProject, '.lake'));
      await recordRunnerFailure('sqlite:.lake/lake.db', runsProject, {
        connector: 'alpha',
        version: '1.0.0',
        connectionId: 1,
        scopeId: 'one',
        full: false,
        startedAt: new Date('2026-12-01T10:00:00Z'),
        status: 'failed',
        error: 'the connector exited with 1',
      });
      const { packages, output, code } = await packagesLoadedBy('-C', runsProject, 'status');
      expect(code, output).toBe(0);
      expect(output).toMatch(/2026-12-01 10:00:00Z\s+alpha#1\s+one\s+\*\s+1\.0\.0\s+failed/);
      expect(output).toContain('the connector exited with 1');
      expect(packages).toContain('better-sqlite3');
      expect(packages.filter((name) => HEAVY.includes(name) && name !== 'better-sqlite3')).toEqual([]);
    } finally {
      await rm(runsProject, { recursive: true, force: true });
    }
  });

  it('is told apart from a command that does need npm (the recorder sees what is loaded)', async () => {
    // `lake search` asks the registry for the integration registry through npm's fetcher
    // (loaded when first needed, so only commands that reach the registry load it).
    const { packages } = await packagesLoadedBy('search', 'git');
    expect(packages).toEqual(expect.arrayContaining(['pacote']));
  });
});
