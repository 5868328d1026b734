import type { PackageManifest } from './workspace-packages.ts';

const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const INTERNAL = /^@lake\//;

export interface PinProblem {
  dependency: string;
  field: string;
  range: string;
  reason: string;
}

/**
 * A published package's dependencies on anything outside `@lake` must be exact versions
 * (`1.2.3`, never `^1.2.3`, `~1.2.3`, `*`, a tag or a URL): what was tested is what gets
 * installed. Dependencies on `@lake/*` go through the workspace (`workspace:^`), which pnpm
 * publishes as a caret range, so an SDK minor release needs no connector release.
 */
export function unpinnedDependencies(manifest: PackageManifest): PinProblem[] {
  const problems: PinProblem[] = [];
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
    for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
      if (INTERNAL.test(dependency)) {
        if (!range.startsWith('workspace:')) {
          problems.push({
            dependency,
            field,
            range,
            reason: 'a Lake package is depended on through the workspace (workspace:^)',
          });
        }
      } else if (!EXACT_VERSION.test(range)) {
        problems.push({ dependency, field, range, reason: 'pin an exact version' });
      }
    }
  }
  return problems;
}

export function describePinProblems(name: string, problems: PinProblem[]): string {
  return problems
    .map((problem) => `${name}: ${problem.field}.${problem.dependency} is "${problem.range}": ${problem.reason}`)
    .join('\n');
}
