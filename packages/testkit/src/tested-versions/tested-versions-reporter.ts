import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * A vitest reporter for connector packages: when a run passes, it adds what the run
 * exercised (this Node version, and every `recordTestedVersion` call of every test process)
 * to `tested-versions.json` beside the package.json. Versions only accumulate: a version
 * stays listed once a passing run exercised it. A failed run records nothing.
 */
export class TestedVersionsReporter implements Reporter {
  readonly #root: string;

  constructor(packageRoot: string = process.cwd()) {
    this.#root = packageRoot;
  }

  onInit(): void {
    rmSync(recordsDirectory(this.#root), { recursive: true, force: true });
  }

  onTestRunEnd(_modules: unknown, unhandledErrors: ReadonlyArray<unknown>, reason: TestRunEndReason): void {
    if (reason !== 'passed' || unhandledErrors.length > 0) return;
    const file = join(this.#root, TESTED_VERSIONS_FILE);
    const current = readTestedVersions(file);
    const node = new Set(current.node).add(process.versions.node);
    const exercised = new Map(
      Object.entries(current.exercised).map(([subject, versions]) => [subject, new Set(versions)]),
    );
    const directory = recordsDirectory(this.#root);
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
    const next: TestedVersions = {
      node: sortVersions(node),
      exercised: Object.fromEntries(
        [...exercised.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([subject, versions]) => [subject, sortVersions(versions)]),
      ),
    };
    const text = `${JSON.stringify(next, null, 2)}\n`;
    let previous = '';
    try {
      previous = readFileSync(file, 'utf8');
    } catch {}
    if (text !== previous) writeFileSync(file, text);
    rmSync(directory, { recursive: true, force: true });
  }
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
