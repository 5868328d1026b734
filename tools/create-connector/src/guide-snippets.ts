import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fill, placeholders } from './scaffold.ts';

/** The name and template the guide's examples are shown with. */
export const GUIDE_EXAMPLE = { name: 'acme', template: 'http' } as const;

/**
 * The lines between `// #region <name>` and `// #endregion <name>` of a workspace file. A
 * template (`*.tmpl`) is shown as it is scaffolded for the guide's example connector.
 */
export async function snippet(root: string, reference: string): Promise<string> {
  const [path, region] = reference.split('#') as [string, string | undefined];
  let text = await readFile(join(root, path), 'utf8');
  if (path.endsWith('.tmpl')) text = fill(text, placeholders(GUIDE_EXAMPLE.name, GUIDE_EXAMPLE.template));
  if (!region) return text.trimEnd();
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim() === `// #region ${region}`);
  const end = lines.findIndex((line, index) => index > start && line.trim() === `// #endregion ${region}`);
  if (start === -1 || end === -1) throw new Error(`${path} has no region "${region}"`);
  return lines
    .slice(start + 1, end)
    .join('\n')
    .trimEnd();
}
