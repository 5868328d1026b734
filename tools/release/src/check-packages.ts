import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describePinProblems, unpinnedDependencies } from './pinned-dependencies.ts';
import type { WorkspacePackage } from './workspace-packages.ts';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** attw's CLI, from this package's own dependencies (not whatever is on PATH). */
function attwBinary(): string {
  const manifest = require.resolve('@arethetypeswrong/cli/package.json');
  return join(dirname(manifest), 'dist', 'index.js');
}

export interface PackageCheck {
  name: string;
  problems: string[];
}

/**
 * What must hold before a package is published: publint finds nothing wrong with its
 * manifest and files, are-the-types-wrong finds its types resolve (ESM-only profile, as Lake
 * ships ESM only), and its external dependencies are pinned.
 */
export async function checkPackage(pkg: WorkspacePackage): Promise<PackageCheck> {
  const problems: string[] = [];
  const pins = unpinnedDependencies(pkg.manifest);
  if (pins.length > 0) problems.push(describePinProblems(pkg.manifest.name, pins));
  const { messages, pkg: packed } = await publint({ pkgDir: pkg.directory, strict: true, pack: 'pnpm' });
  for (const message of messages)
    problems.push(`publint ${message.type}: ${formatMessage(message, packed, { color: false }) ?? message.code}`);
  try {
    await run(process.execPath, [attwBinary(), '--pack', pkg.directory, '--profile', 'esm-only', '--format', 'ascii'], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const output =
      (error as { stdout?: string; stderr?: string }).stdout || (error as { stderr?: string }).stderr || String(error);
    problems.push(`are-the-types-wrong: ${output.trim()}`);
  }
  return { name: pkg.manifest.name, problems };
}
