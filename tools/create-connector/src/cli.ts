/**
 * `pnpm create-connector <name> [--template http|database|files] [--description <text>] [--no-checks]`
 *
 * Writes connectors/<name> and its changeset, then — unless --no-checks — links it into the
 * workspace, builds it and what it depends on (a fresh clone has built nothing), runs its
 * tests and regenerates the integration registry (recording what the passing run exercised),
 * so the new package passes `.ci/run` as it stands. When a step fails, everything it wrote is
 * removed again, so the same command can be rerun; `--no-checks` keeps the files.
 */

import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ScaffoldError, scaffoldConnector, TEMPLATES, type TemplateName } from './scaffold.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function step(command: string, args: string[]): Promise<void> {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

let values: { template?: string; description?: string; 'no-checks'?: boolean; help?: boolean };
let positionals: string[];
try {
  ({ values, positionals } = parseArgs({
    // pnpm forwards a literal "--" before script arguments.
    args: process.argv.slice(2).filter((argument) => argument !== '--'),
    allowPositionals: true,
    options: {
      template: { type: 'string', short: 't' },
      description: { type: 'string' },
      'no-checks': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  console.error(`create-connector: ${(error as Error).message}`);
  process.exit(2);
}
const [name, ...extra] = positionals;
if (values.help || !name || extra.length > 0) {
  (values.help ? console.log : console.error)(
    `usage: pnpm create-connector <name> [--template ${TEMPLATES.join('|')}] [--description <text>] [--no-checks]`,
  );
  process.exit(values.help ? 0 : 2);
}
let written: { directory: string; files: string[] } | undefined;
try {
  const result = await scaffoldConnector({
    root,
    name,
    template: (values.template ?? 'http') as TemplateName,
    ...(values.description ? { description: values.description } : {}),
  });
  written = result;
  console.log(`created ${result.files.length} files:\n${result.files.map((file) => `  ${file}`).join('\n')}`);
  if (!values['no-checks']) {
    // A new package changes pnpm-lock.yaml by design (CI=true would otherwise freeze it).
    await step('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile', '--reporter=append-only']);
    // `<package>...`: the package and everything it depends on (the SDK, the testkit), in order.
    await step('pnpm', ['--filter', `@lake/connector-${name}...`, 'build']);
    await step('pnpm', ['--filter', `@lake/connector-${name}`, 'test']);
    await step('pnpm', ['registry:update']);
  }
  console.log(`\nnext: edit connectors/${name}/src (docs/authoring.md walks through it), then
  pnpm --filter @lake/connector-${name} test
  pnpm registry:update`);
} catch (error) {
  console.error(`create-connector: ${(error as Error).message}`);
  if (written) await removeScaffold(written);
  process.exit(error instanceof ScaffoldError ? 2 : 1);
}

/** Takes back what a failed run wrote (the package, its changeset, its link), so that a rerun starts clean. */
async function removeScaffold(result: { directory: string; files: string[] }): Promise<void> {
  await rm(result.directory, { recursive: true, force: true });
  for (const file of result.files) await rm(join(root, file), { force: true });
  console.error(
    `create-connector: removed connectors/${name} and its changeset; rerun with --no-checks to keep the files`,
  );
  try {
    await step('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile', '--reporter=append-only']);
  } catch (error) {
    console.error(`create-connector: could not unlink the removed package: ${(error as Error).message}`);
  }
}
