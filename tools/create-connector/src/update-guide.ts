/**
 * `node tools/create-connector/src/update-guide.ts [--check]`: every code block of
 * docs/authoring.md that follows a `<!-- from: <file>#<region> -->` line is replaced by that
 * region of the file, so the guide shows the code that is there. `--check` only says whether
 * anything would change (the guide's test does the same).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { snippet } from './guide-snippets.ts';

export const GUIDE = 'docs/authoring.md';
const FROM = /^<!-- from: (\S+) -->$/;

/** The guide with every `from:` block refreshed. */
export async function renderGuide(root: string): Promise<string> {
  const lines = (await readFile(join(root, GUIDE), 'utf8')).split('\n');
  const output: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    output.push(line);
    const match = FROM.exec(line.trim());
    if (!match) continue;
    const fence = lines[index + 1];
    if (!fence?.startsWith('```')) throw new Error(`${GUIDE}:${index + 1}: "from:" must be followed by a code block`);
    const close = lines.findIndex((candidate, position) => position > index + 1 && candidate.startsWith('```'));
    if (close === -1) throw new Error(`${GUIDE}:${index + 2}: code block never closes`);
    output.push(fence, await snippet(root, match[1]!), '```');
    index = close;
  }
  return output.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const current = await readFile(join(root, GUIDE), 'utf8');
  const rendered = await renderGuide(root);
  if (process.argv.includes('--check')) {
    if (rendered !== current) {
      console.error(`${GUIDE} shows code that is no longer there; run node tools/create-connector/src/update-guide.ts`);
      process.exitCode = 1;
    }
  } else if (rendered !== current) {
    await writeFile(join(root, GUIDE), rendered);
    console.log(`updated ${GUIDE}`);
  } else console.log(`${GUIDE} is up to date`);
}
