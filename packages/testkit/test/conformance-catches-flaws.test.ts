import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startVitest } from 'vitest/node';
import { testBudget } from '../src/index.ts';
import type { NoteFlaw } from './fixtures/notes-connector.ts';

/**
 * Runs the conformance suite against a flawed notes connector in a nested vitest, only the
 * scenarios named, and returns `[scenario, outcome, failure messages]`.
 */
async function runFlawed(flaw: NoteFlaw, scenarios: readonly string[]): Promise<Array<[string, string, string]>> {
  const file = fileURLToPath(new URL('./fixtures/flawed-connectors.suite.ts', import.meta.url));
  const previous = process.env.NOTES_FLAW;
  process.env.NOTES_FLAW = flaw;
  try {
    const vitest = await startVitest('test', [], {
      watch: false,
      include: [file],
      reporters: [{}],
      coverage: { enabled: false },
      testNamePattern: scenarios.map(escapeRegExp).join('|'),
      root: fileURLToPath(new URL('..', import.meta.url)),
    });
    try {
      const outcomes: Array<[string, string, string]> = [];
      for (const module of vitest.state.getTestModules()) {
        for (const test of module.children.allTests()) {
          const result = test.result();
          const messages = (result.errors ?? []).map((error) => error.message).join('\n');
          if (result.state !== 'skipped') outcomes.push([test.name, result.state, messages]);
        }
      }
      return outcomes;
    } finally {
      await vitest.close();
    }
  } finally {
    if (previous === undefined) delete process.env.NOTES_FLAW;
    else process.env.NOTES_FLAW = previous;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const CHANGES = 'every domain table holds exactly the rows the source implies';
const KILLS = 'killed with SIGKILL at kill points';
const PRINTED = 'keeps secrets out of every table, every log line and everything connector code prints';
const SHUFFLED = 'stays exact when the server serves listings in a fixed shuffled order';
const MEMORY = 'a sync of the large fixture stays within the memory budget';
const MIGRATED = 'migrations create every tool table exactly as its declaration says';
const RESYNC = 're-syncing creates no duplicate and an incremental second sync collects nothing old';

/** Each flaw, what it does, the scenarios that must catch it, and what their failure must say (if it matters). */
const CASES: ReadonlyArray<[NoteFlaw, string, string[], RegExp?]> = [
  ['checkpoint-before-write', 'saves a page’s bookmark before yielding its records', [KILLS]],
  ['changing-id', 'builds ids from a field users edit', [CHANGES]],
  ['raw-data-id', 'builds ids from _raw_data_id while converting', [CHANGES]],
  ['prints-token', 'prints its token with console.error', [PRINTED]],
  ['leaks-token', 'writes its token into a domain column', [PRINTED]],
  ['trusts-order', 'relies on the server’s order without checking it', [SHUFFLED]],
  ['ignores-state', 're-collects everything on every sync', [RESYNC]],
  [
    'retains-records',
    'keeps every record it reads in memory',
    [MEMORY],
    /connector "notes": a sync peaked at \d+(\.\d+)? MB RSS, over its budget of 256 MB/,
  ],
  ['migration-drift', 'migrates a tool table other than it declares it', [MIGRATED]],
];

describe('the conformance suite catches a connector that', () => {
  for (const [flaw, description, scenarios, says] of CASES) {
    it(
      description,
      async () => {
        const outcomes = await runFlawed(flaw, scenarios);
        for (const scenario of scenarios) {
          const matching = outcomes.filter(([name]) => name.startsWith(scenario));
          expect(matching.length, `scenario "${scenario}" ran`).toBeGreaterThan(0);
          for (const [name, state, messages] of matching) {
            expect(state, name).toBe('failed');
            if (says) expect(messages, name).toMatch(says);
          }
        }
      },
      testBudget(600_000),
    );
  }
});
