import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const recorded = new Set<string>();

/** Where test processes of the package under test leave what they exercised. */
export function recordsDirectory(packageRoot: string = process.cwd()): string {
  return join(packageRoot, 'node_modules', '.cache', 'lake-tested-versions');
}

/**
 * Records that this test run exercised `subject` at `version` — an API version header the
 * fake server received, the git binary the tests ran, a database server's version. The
 * testkit's reporter folds the records into the package's `tested-versions.json` when the run
 * passes, and the integration registry lists them: what was tested, never a range.
 *
 *   recordTestedVersion('GitHub REST API', request.headers['x-github-api-version']);
 */
export function recordTestedVersion(subject: string, version: string | undefined): void {
  if (!version) return;
  // Called per request by fake servers: write each pair once per process.
  const key = `${subject}\u0000${version}`;
  if (recorded.has(key)) return;
  recorded.add(key);
  const directory = recordsDirectory();
  mkdirSync(directory, { recursive: true });
  appendFileSync(join(directory, `${process.pid}.jsonl`), `${JSON.stringify({ subject, version })}\n`);
}
