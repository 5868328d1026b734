/**
 * pnpm registry:start | registry:stop | registry:status | registry:add-user
 *
 *   pnpm registry:start [--port 4873] [--anonymous-read] [--uplink] [--allow-other-scopes] [--no-registration] [--foreground]
 *   pnpm registry:stop
 *   LAKE_REGISTRY_PASSWORD=… pnpm registry:add-user <name> [--npmrc <file>]
 *
 * Storage, users, log and pid live under `.lake/registry/` (or `--directory`).
 */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_PORT, registryUrl } from './registry-url.ts';
import { addUser, npmrcFor } from './registry-users.ts';
import { startRegistry } from './start-registry.ts';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const { values, positionals } = parseArgs({
  args: process.argv.slice(2).filter((argument) => argument !== '--'),
  allowPositionals: true,
  options: {
    port: { type: 'string', default: String(process.env.LAKE_REGISTRY_PORT ?? DEFAULT_PORT) },
    directory: { type: 'string', default: join(repositoryRoot, '.lake', 'registry') },
    'anonymous-read': { type: 'boolean', default: false },
    uplink: { type: 'boolean', default: false },
    'allow-other-scopes': { type: 'boolean', default: false },
    'no-registration': { type: 'boolean', default: false },
    foreground: { type: 'boolean', default: false },
    npmrc: { type: 'string' },
  },
});
const [command, ...rest] = positionals;
const directory = resolve(values.directory);
const pidFile = join(directory, 'registry.pid');
const port = Number(values.port);
const url = `http://127.0.0.1:${port}/`;

async function ping(target: string): Promise<boolean> {
  try {
    return (await fetch(`${target}-/ping`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

async function serve(): Promise<void> {
  const registry = await startRegistry({
    directory,
    port,
    anonymousRead: values['anonymous-read'],
    uplink: values.uplink,
    allowOtherScopes: values['allow-other-scopes'],
    registration: !values['no-registration'],
  });
  process.stdout.write(`registry listening at ${registry.url} (storage and log in ${directory})\n`);
  const stop = () => void registry.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function start(): Promise<void> {
  if (values.foreground) return serve();
  if (await ping(url)) {
    process.stdout.write(`a registry already answers at ${url}\n`);
    return;
  }
  await mkdir(directory, { recursive: true });
  const output = openSync(join(directory, 'server.out'), 'a');
  const args = [
    fileURLToPath(import.meta.url),
    'start',
    '--foreground',
    '--port',
    String(port),
    '--directory',
    directory,
  ];
  for (const flag of ['anonymous-read', 'uplink', 'allow-other-scopes', 'no-registration'] as const)
    if (values[flag]) args.push(`--${flag}`);
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', output, output] });
  child.unref();
  await writeFile(pidFile, `${child.pid}\n`);
  for (let attempt = 0; attempt < 150; attempt += 1) {
    if (await ping(url)) {
      process.stdout.write(`registry started at ${url} (pid ${child.pid}; log ${join(directory, 'verdaccio.log')})\n`);
      return;
    }
    await new Promise((wait) => setTimeout(wait, 200));
  }
  throw new Error(`[lake] the registry did not start within 30 s; see ${join(directory, 'server.out')}`);
}

async function stop(): Promise<void> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!pid) {
    process.stdout.write('no registry started by registry:start is running\n');
    return;
  }
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
  for (let attempt = 0; attempt < 50; attempt += 1) {
    try {
      process.kill(pid, 0);
      await new Promise((wait) => setTimeout(wait, 100));
    } catch {
      break;
    }
  }
  await rm(pidFile, { force: true });
  process.stdout.write(`registry stopped (pid ${pid})\n`);
}

async function readPassword(): Promise<string> {
  if (process.env.LAKE_REGISTRY_PASSWORD) return process.env.LAKE_REGISTRY_PASSWORD;
  if (process.stdin.isTTY)
    throw new Error('[lake] set LAKE_REGISTRY_PASSWORD, or pipe the password on stdin (never pass it as an argument)');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function addUserCommand(): Promise<void> {
  const [name] = rest;
  if (!name) throw new Error('[lake] usage: registry:add-user <name> [--npmrc <file>]');
  const target = registryUrl();
  const credentials = await addUser(target, name, await readPassword());
  if (values.npmrc) {
    await writeFile(values.npmrc, npmrcFor(target, credentials.token));
    await chmod(values.npmrc, 0o600);
    process.stdout.write(`user ${name} ready; credentials for ${target} written to ${values.npmrc}\n`);
  } else {
    process.stdout.write(
      `user ${name} ready. Add to your ~/.npmrc (keep it private):\n${npmrcFor(target, credentials.token)}`,
    );
  }
}

const commands: Record<string, () => Promise<void>> = {
  start,
  stop,
  status: async () => {
    const target = registryUrl();
    process.stdout.write(
      (await ping(target)) ? `registry answers at ${target}\n` : `no registry answers at ${target}\n`,
    );
  },
  'add-user': addUserCommand,
};

const run = command ? commands[command] : undefined;
if (!run) {
  process.stderr.write(`[lake] usage: cli.ts <${Object.keys(commands).join('|')}> …\n`);
  process.exit(2);
}
run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
