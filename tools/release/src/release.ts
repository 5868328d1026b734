/**
 * pnpm release — build every package, check what will be published, publish the packages
 * whose version is not in the registry yet with `changeset publish`, and tag them
 * `<name>@<version>`. Only `@lake/*` goes to Lake's registry (registryUrl(): LAKE_REGISTRY_URL
 * or the local one); credentials come from your npm config (see pnpm registry:add-user).
 *
 *   pnpm changeset          # describe the change
 *   pnpm changeset version  # bump versions, write changelogs
 *   pnpm release            # build, check, publish, tag
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registryUrl } from '@lake-tools/registry-server';
import { checkPackage } from './check-packages.ts';
import { publishablePackages } from './workspace-packages.ts';

const root = process.env.LAKE_RELEASE_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function step(command: string, args: string[], environment: NodeJS.ProcessEnv = process.env): Promise<void> {
  process.stdout.write(`\n$ ${command} ${args.join(' ')}\n`);
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: environment });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`[lake] ${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

const registry = registryUrl();
await step('pnpm', [
  'turbo',
  'run',
  'build',
  '--filter=./packages/*',
  '--filter=./connectors/*',
  '--filter=./registry',
  '--output-logs=errors-only',
]);

process.stdout.write('\nChecking what will be published (pinned dependencies, publint, are-the-types-wrong)…\n');
const packages = await publishablePackages(root);
const checks = await Promise.all(packages.map(checkPackage));
const failing = checks.filter((check) => check.problems.length > 0);
for (const check of checks) process.stdout.write(`  ${check.problems.length === 0 ? 'ok  ' : 'FAIL'} ${check.name}\n`);
if (failing.length > 0) {
  for (const check of failing) process.stderr.write(`\n${check.name}:\n  ${check.problems.join('\n  ')}\n`);
  process.exit(1);
}

// changeset publish reads the registry from npm_config_* variables, not from .npmrc.
await step('pnpm', ['changeset', 'publish'], { ...process.env, 'npm_config_@lake:registry': registry });
process.stdout.write(`\nPublished to ${registry}. Push the new tags with: git push --follow-tags\n`);
