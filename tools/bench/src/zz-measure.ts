import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { addUser, packAndPublish, startRegistry } from '@lake-tools/registry-server';
const run = promisify(execFile);
const ws = '/work/wt/i12-speed2';
const cli = join(ws, 'packages/runtime/dist/cli.js');
const dir = await mkdtemp(join(tmpdir(), 'i12m-'));
const registry = await startRegistry({ directory: join(dir, 'registry'), port: 0 });
const { token } = await addUser(registry.url, 'bench', randomBytes(12).toString('hex'));
for (const p of ['packages/sdk', 'connectors/git', 'connectors/github', 'registry']) await packAndPublish(registry.url, token, join(ws, p));
const env = { ...process.env, LAKE_BENCH_TOKEN: token, LAKE_CACHE_DIR: join(dir, 'cache') };
async function lake(project: string, ...args: string[]) {
  const t = process.hrtime.bigint();
  const r = await run(process.execPath, [cli, '-C', project, ...args], { env, maxBuffer: 1 << 26 });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, out: r.stdout + r.stderr };
}
const p1 = join(dir, 'p1');
await mkdir(p1);
await writeFile(join(p1, 'lake.yaml'), `registry:\n  url: ${registry.url}\n  token: \${LAKE_BENCH_TOKEN}\nconnectors:\n  git: shipped\n  github: shipped\n`);
console.log('install cold', (await lake(p1, 'install')).ms);
for (let i = 0; i < 2; i++) {
  const p2 = join(dir, `p2${i}`);
  await mkdir(p2);
  await cp(join(p1, 'lake.yaml'), join(p2, 'lake.yaml'));
  await cp(join(p1, 'lake.lock'), join(p2, 'lake.lock'));
  console.log('install --frozen warm', (await lake(p2, 'install', '--frozen')).ms);
}
for (const c of [['--help'], ['list'], ['status'], ['info', 'github']]) console.log(c.join(' '), (await lake(p1, ...c)).ms);
console.log((await run('du', ['-sh', join(p1, '.lake')])).stdout);
console.log(dir);
await registry.close();
