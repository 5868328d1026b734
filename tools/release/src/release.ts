/**
 * pnpm release — build every package, check what will be published, publish the packages
 * whose version is not in the registry yet, each tarball's integrity signed with the team's
 * release key, and tag them `<name>@<version>` (`changeset tag`). Only `@lake/*` goes to
 * Lake's registry (registryUrl(): LAKE_REGISTRY_URL or the local one); the token comes from
 * LAKE_REGISTRY_TOKEN or your npm config (see pnpm registry:add-user), the key from
 * LAKE_SIGNING_KEY (the PEM) or LAKE_SIGNING_KEY_FILE (see pnpm release:keygen).
 *
 *   pnpm changeset          # describe the change
 *   pnpm changeset version  # bump versions, write changelogs
 *   pnpm release            # build, check, sign, publish, tag
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registryUrl, signingKeyFromEnvironment } from '@lake-tools/registry-server';
import { checkPackage } from './check-packages.ts';
import { publishSigned } from './publish-signed.ts';
import { registryToken } from './registry-credentials.ts';
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

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const registry = registryUrl();
// Both are needed to publish: asked for before anything is built.
const key = (() => {
  try {
    return signingKeyFromEnvironment();
  } catch (error) {
    return fail((error as Error).message);
  }
})();
if (!key) {
  fail(
    '[lake] pnpm release signs every package it publishes: set LAKE_SIGNING_KEY_FILE to the release key (an ed25519 private key, PEM), or LAKE_SIGNING_KEY to the PEM itself; `pnpm release:keygen <file>` creates one',
  );
}
const token = await registryToken(registry, root);
if (!token) {
  fail(
    `[lake] no token for ${registry}: set LAKE_REGISTRY_TOKEN, or log in (pnpm registry:add-user <name> --npmrc ~/.npmrc)`,
  );
}

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

process.stdout.write(`\nPublishing what ${registry} does not have yet, signed by ${key.keyid}…\n`);
await publishSigned(packages, registry, token, key, (line) => process.stdout.write(`${line}\n`));
await step('pnpm', ['changeset', 'tag']);
process.stdout.write(`\nPublished to ${registry}. Push the new tags with: git push --follow-tags\n`);
