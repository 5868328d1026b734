import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GUIDE, renderGuide } from '../src/update-guide.ts';
import { GUIDE_STEPS, GUIDE_STEPS_NOT_RUN } from './guide-steps.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface Block {
  marker: string;
  lines: string[];
  line: number;
}

function blocks(text: string): Block[] {
  const lines = text.split('\n');
  const found: Block[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    if (!lines[index]!.startsWith('```')) continue;
    const close = lines.findIndex((line, position) => position > index && line.startsWith('```'));
    found.push({ marker: lines[index - 1]?.trim() ?? '', lines: lines.slice(index + 1, close), line: index + 1 });
    index = close;
  }
  return found;
}

describe('docs/authoring.md', () => {
  it('shows exactly the code of the files it quotes', async () => {
    const current = await readFile(join(root, GUIDE), 'utf8');
    expect(await renderGuide(root), 'run node tools/create-connector/src/update-guide.ts').toBe(current);
  });

  it('has no code block that is neither quoted from a file nor a step the end-to-end test runs', async () => {
    const found = blocks(await readFile(join(root, GUIDE), 'utf8'));
    expect(found.length).toBeGreaterThan(10);
    const ran = new Set<string>(Object.values(GUIDE_STEPS));
    const notRun = new Set<string>(GUIDE_STEPS_NOT_RUN);
    const shown = new Set<string>();
    for (const block of found) {
      if (block.marker.startsWith('<!-- from: ')) {
        expect(block.lines.join('\n').trim().length, `block at line ${block.line}`).toBeGreaterThan(0);
        continue;
      }
      expect(['<!-- steps -->', '<!-- steps: not run -->'], `block at line ${block.line}`).toContain(block.marker);
      const allowed = block.marker === '<!-- steps -->' ? ran : notRun;
      for (const line of block.lines) {
        expect(allowed.has(line), `"${line}" (line ${block.line}) is not a step the test knows`).toBe(true);
        shown.add(line);
      }
    }
    // And every step the end-to-end test runs is one the guide shows.
    for (const command of [...ran, ...notRun]) expect(shown.has(command), command).toBe(true);
  });

  it('is linked from the README', async () => {
    expect(await readFile(join(root, 'README.md'), 'utf8')).toContain('](docs/authoring.md)');
  });
});
