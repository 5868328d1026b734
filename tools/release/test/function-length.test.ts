import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { longFunctions, longFunctionsIn } from '../src/long-functions.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const LIMIT = 80;

describe('functions of the published packages and connectors', () => {
  it(`span at most ${LIMIT} lines each (packages/*/src and connectors/*/src, tests aside)`, () => {
    expect(longFunctions(root, LIMIT)).toEqual([]);
  });

  it('are measured by the TypeScript compiler: declarations, methods, arrows, each with its name', () => {
    const body = (lines: number) => Array.from({ length: lines }, (_, index) => `  step(${index});`).join('\n');
    const text = [
      `export function short() {\n${body(10)}\n}`,
      `export function long() {\n${body(LIMIT)}\n}`,
      `export const arrow = async () => {\n${body(LIMIT)}\n};`,
      `class Runner {\n  run() {\n${body(LIMIT)}\n  }\n}`,
    ].join('\n');
    expect(longFunctionsIn('planted.ts', text, LIMIT)).toEqual([
      { file: 'planted.ts', name: 'long', line: 13, lines: LIMIT + 2 },
      { file: 'planted.ts', name: 'arrow', line: 13 + LIMIT + 2, lines: LIMIT + 2 },
      { file: 'planted.ts', name: 'run', line: 13 + 2 * (LIMIT + 2) + 1, lines: LIMIT + 2 },
    ]);
  });
});
