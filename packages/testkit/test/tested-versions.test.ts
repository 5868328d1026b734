import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { recordsDirectory } from '../src/tested-versions/record-tested-version.ts';
import { foldPassedRun, passedRunFile, TestedVersionsReporter } from '../src/tested-versions.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A package directory whose test processes recorded `records`, then ended with `reason`. */
function runTests(root: string, records: Array<{ subject: string; version: string }>, reason: 'passed' | 'failed') {
  const reporter = new TestedVersionsReporter(root);
  reporter.onInit();
  mkdirSync(recordsDirectory(root), { recursive: true });
  writeFileSync(
    join(recordsDirectory(root), '1234.jsonl'),
    records.map((record) => `${JSON.stringify(record)}\n`).join(''),
  );
  reporter.onTestRunEnd([], [], reason);
}

function packageRoot(tracked?: object): string {
  const root = mkdtempSync(join(tmpdir(), 'lake-tested-'));
  roots.push(root);
  if (tracked) writeFileSync(join(root, 'tested-versions.json'), `${JSON.stringify(tracked, null, 2)}\n`);
  return root;
}

it('a passing run changes no tracked file; registry:update folds it in on purpose, versions accumulating', () => {
  const tracked = { node: ['22.12.0'], exercised: { git: ['2.30.0'] } };
  const root = packageRoot(tracked);
  const before = readFileSync(join(root, 'tested-versions.json'), 'utf8');
  runTests(
    root,
    [
      { subject: 'git', version: '2.39.5' },
      { subject: 'GitHub REST API', version: '2022-11-28' },
    ],
    'passed',
  );
  expect(readFileSync(join(root, 'tested-versions.json'), 'utf8')).toBe(before);
  expect(existsSync(passedRunFile(root))).toBe(true);

  expect(foldPassedRun(root)).toBe(true);
  expect(JSON.parse(readFileSync(join(root, 'tested-versions.json'), 'utf8'))).toEqual({
    node: ['22.12.0', process.versions.node].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
    exercised: { 'GitHub REST API': ['2022-11-28'], git: ['2.30.0', '2.39.5'] },
  });
  // Folded once: a second update without a new run changes nothing.
  expect(foldPassedRun(root)).toBe(false);
});

it('a failed run records nothing, and forgets an earlier passing run', () => {
  const root = packageRoot();
  runTests(root, [{ subject: 'git', version: '2.39.5' }], 'passed');
  runTests(root, [{ subject: 'git', version: '2.40.0' }], 'failed');
  expect(existsSync(passedRunFile(root))).toBe(false);
  expect(foldPassedRun(root)).toBe(false);
  expect(existsSync(join(root, 'tested-versions.json'))).toBe(false);
});
