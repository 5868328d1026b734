import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Reporter, TestRunEndReason } from 'vitest/node';
import { recordsDirectory } from './record-tested-version.js';

export const TESTED_VERSIONS_FILE = 'tested-versions.json';

/** What a connector's test runs exercised, as the integration registry reads it. */
export interface TestedVersions {
  /** Node versions the suite passed on. */
  node: string[];
  /** Per subject (an API, a tool, a database), the versions the tests exercised. */
  exercised: Record<string, string[]>;
}

/** Where a passing run leaves what it exercised, until `pnpm registry:update` folds it in. */
export function passedRunFile(packageRoot: string = process.cwd()): string {
  return join(packageRoot, 'node_modules', '.cache', 'lake-tested-versions.passed.json');
}

/**
 * A vitest reporter for connector packages: when a run passes, it writes what the run
 * exercised (this Node version, and every `recordTestedVersion` call of every test process)
 * to an untracked file under node_modules/.cache. Running tests never changes a tracked file:
 * `pnpm registry:update` folds the last passing run into `tested-versions.json` on purpose
 * (`foldPassedRun`). A failed run records nothing and forgets an earlier passing one.
 */
export class TestedVersionsReporter implements Reporter {
  readonly #root: string;

  constructor(packageRoot: string = process.cwd()) {
    this.#root = packageRoot;
  }

  onInit(): void {
    rmSync(recordsDirectory(this.#root), { recursive: true, force: true });
    rmSync(passedRunFile(this.#root), { force: true });
  }

  onTestRunEnd(_modules: unknown, unhandledErrors: ReadonlyArray<unknown>, reason: TestRunEndReason): void {
    const directory = recordsDirectory(this.#root);
    if (reason !== 'passed' || unhandledErrors.length > 0) {
      rmSync(directory, { recursive: true, force: true });
      return;
    }
    const exercised = new Map<string, Set<string>>();
    let files: string[] = [];
    try {
      files = readdirSync(directory).filter((name) => name.endsWith('.jsonl'));
    } catch {
      // Nothing recorded beyond Node.
    }
    for (const name of files) {
      for (const line of readFileSync(join(directory, name), 'utf8').split('\n')) {
        if (!line) continue;
        const { subject, version } = JSON.parse(line) as { subject: string; version: string };
        if (!exercised.has(subject)) exercised.set(subject, new Set());
        exercised.get(subject)!.add(version);
      }
    }
    const run: TestedVersions = { node: [process.versions.node], exercised: sortSubjects(exercised) };
    mkdirSync(dirname(passedRunFile(this.#root)), { recursive: true });
    writeFileSync(passedRunFile(this.#root), `${JSON.stringify(run, null, 2)}\n`);
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * Adds the last passing run's versions (if any) to the package's `tested-versions.json`.
 * Versions only accumulate: once a passing run exercised a version, it stays listed. Returns
 * whether the file changed.
 */
export function foldPassedRun(packageRoot: string): boolean {
  const run = passedRunFile(packageRoot);
  if (!existsSync(run)) return false;
  const file = join(packageRoot, TESTED_VERSIONS_FILE);
  const current = readTestedVersions(file);
  const passed = readTestedVersions(run);
  const exercised = new Map(
    Object.entries(current.exercised).map(([subject, versions]) => [subject, new Set(versions)]),
  );
  for (const [subject, versions] of Object.entries(passed.exercised)) {
    const known = exercised.get(subject) ?? new Set<string>();
    for (const version of versions) known.add(version);
    exercised.set(subject, known);
  }
  const next: TestedVersions = {
    node: sortVersions(new Set([...current.node, ...passed.node])),
    exercised: sortSubjects(exercised),
  };
  const text = `${JSON.stringify(next, null, 2)}\n`;
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  rmSync(run, { force: true });
  if (text === previous) return false;
  writeFileSync(file, text);
  return true;
}

function sortSubjects(exercised: Map<string, Set<string>>): Record<string, string[]> {
  return Object.fromEntries(
    [...exercised.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([subject, versions]) => [subject, sortVersions(versions)]),
  );
}

export function readTestedVersions(file: string): TestedVersions {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<TestedVersions>;
    return { node: parsed.node ?? [], exercised: parsed.exercised ?? {} };
  } catch {
    return { node: [], exercised: {} };
  }
}

function sortVersions(versions: Iterable<string>): string[] {
  return [...versions].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
