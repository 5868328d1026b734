/**
 * The main job on the embedded default: syncs this repository with the git connector's own
 * CLI (`lake-connector-git sync`) into `.lake/lake.db` at the repository root, prints the
 * connector's summary, then checks the commit count against git itself.
 *
 *   pnpm demo            (or ./lakew demo on a fresh machine)
 *   pnpm demo --db /tmp/elsewhere.db
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SYNC_NODE_FLAGS } from '@lake/sdk/cli';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const packageJsonPath = fileURLToPath(import.meta.resolve('@lake/connector-git/package.json'));
const { bin } = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { bin: Record<string, string> };
const cli = join(dirname(packageJsonPath), bin['lake-connector-git']!);
const { values } = parseArgs({
  // pnpm forwards a literal "--" before script arguments.
  args: process.argv.slice(2).filter((argument) => argument !== '--'),
  options: { db: { type: 'string', default: join(repositoryRoot, '.lake', 'lake.db') } },
});
const database = resolve(values.db);

console.log(`Syncing ${repositoryRoot} into ${database}\n`);
const child = spawn(
  process.execPath,
  [...SYNC_NODE_FLAGS, cli, 'sync', '--context', '-', '--db', `sqlite:${database}`],
  {
    stdio: ['pipe', 'inherit', 'inherit'],
  },
);
child.stdin.end(JSON.stringify({ connection: { id: 1 }, scope: { path: repositoryRoot, name: 'lake' } }));
const [code] = (await once(child, 'exit')) as [number | null];
if (code !== 0) process.exit(code ?? 1);

const gitCount = execFileSync('git', ['rev-list', '--count', '--all'], {
  cwd: repositoryRoot,
  encoding: 'utf8',
}).trim();
console.log(`\ngit rev-list --count --all: ${gitCount}`);
console.log(`Query it: sqlite3 ${database} "select author_name, count(*) from commits group by 1 order by 2 desc"`);
