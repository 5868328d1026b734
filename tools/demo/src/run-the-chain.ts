/**
 * The main job, end to end on embedded defaults: start a private registry with temporary
 * storage, publish the workspace's packages to it, assemble a runtime in a temporary
 * directory from `example/lake.yaml` (the git connector on this repository), `lake install`,
 * `lake sync` (which prints the summary), then stop the registry.
 *
 *   pnpm demo            (or ./lakew demo on a fresh machine)
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  addUser,
  generateSigningKey,
  packAndPublish,
  packageManagerEnvironment,
  type SigningKey,
  startRegistry,
} from '@lake-tools/registry-server';
import { publishablePackages } from '@lake-tools/release';

const run = promisify(execFile);
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const lakeCli = join(repositoryRoot, 'packages/runtime/dist/cli.js');
const started = Date.now();
const step = (text: string) => console.log(`\n▸ ${text} (${((Date.now() - started) / 1000).toFixed(1)}s)`);

/**
 * Publishes every package the workspace publishes (the release tool's list), packed by pnpm
 * and signed as `pnpm release` signs them, with a key made for this run.
 */
async function publishWorkspace(url: string, token: string, key: SigningKey): Promise<void> {
  const packages = await publishablePackages(repositoryRoot);
  const published = await Promise.all(
    packages.map((pkg) => packAndPublish(url, token, pkg.directory, { signWith: [key] })),
  );
  for (const { name, version } of published) console.log(`  ${name}@${version}`);
}

function lake(args: string[], cwd: string, environment: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    // Asynchronous on purpose: the registry answers from this process meanwhile.
    const child = spawn(process.execPath, [lakeCli, ...args], { cwd, env: environment, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`lake ${args[0]} exited with ${code}`)),
    );
  });
}

const registryDirectory = await mkdtemp(join(tmpdir(), 'lake-demo-registry-'));
const runtimeDirectory = await mkdtemp(join(tmpdir(), 'lake-runtime-'));
step('starting a private registry with temporary storage');
const registry = await startRegistry({ directory: registryDirectory, port: 0 });
let failed = false;
try {
  console.log(`  ${registry.url}`);
  const { token } = await addUser(registry.url, 'demo', randomBytes(12).toString('hex'));

  step("publishing the workspace's packages, signed with a release key made for this run");
  const { key } = generateSigningKey();
  console.log(`  key ${key.keyid}`);
  await publishWorkspace(registry.url, token, key);

  step(`assembling a runtime in ${runtimeDirectory} from tools/demo/example/lake.yaml`);
  await copyFile(join(repositoryRoot, 'tools/demo/example/lake.yaml'), join(runtimeDirectory, 'lake.yaml'));
  const environment = {
    ...packageManagerEnvironment(),
    LAKE_REGISTRY_URL: registry.url,
    LAKE_REGISTRY_TOKEN: token,
    LAKE_DEMO_REPOSITORY: repositoryRoot,
    // lake.yaml trusts it (trust.keys), so lake install checks every signature.
    LAKE_DEMO_TRUSTED_KEY: key.publicKey,
    // The registry is new, so its packages are fetched fresh; third-party metadata may come from the cache.
    LAKE_PREFER_OFFLINE: '1',
    ...(process.env.LAKE_DEBUG ? { LAKE_DEBUG: process.env.LAKE_DEBUG } : {}),
  };

  step('lake install');
  await lake(['install'], runtimeDirectory, environment);

  step('lake sync');
  await lake(['sync'], runtimeDirectory, environment);

  const commits = (await run('git', ['rev-list', '--count', '--all'], { cwd: repositoryRoot })).stdout.trim();
  console.log(`\ngit rev-list --count --all: ${commits}`);
  console.log(`The runtime stays in ${runtimeDirectory}: lake.yaml, lake.lock, .lake/lake.db, .lake/logs/`);
  console.log(
    `Query it: sqlite3 ${join(runtimeDirectory, '.lake/lake.db')} "select author_name, count(*) from commits group by 1 order by 2 desc"`,
  );
} catch (error) {
  failed = true;
  console.error(`\ndemo failed: ${(error as Error).message}`);
} finally {
  step('stopping the registry');
  await registry.close();
  await rm(registryDirectory, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
