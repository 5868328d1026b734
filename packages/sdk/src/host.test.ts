import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * The modules a fresh Node process resolves while importing `entry` (the built package):
 * a resolve hook records every URL, the list is printed once the import settled.
 */
async function modulesLoadedBy(entry: string): Promise<string[]> {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { const found = next(specifier, context); seen.push(found.url); return found; } });
    await import(${JSON.stringify(new URL(`../dist/${entry}`, import.meta.url).href)});
    process.stdout.write(JSON.stringify(seen));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
  return JSON.parse(stdout) as string[];
}

const HEAVY = ['kysely', 'better-sqlite3', 'pg', 'mysql2', 'got', 'zod'];

function packagesIn(urls: string[]): string[] {
  const names = new Set<string>();
  for (const url of urls) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*\/node_modules\/)/.exec(url);
    if (match?.[1]) names.add(match[1]);
  }
  return [...names].sort();
}

describe('@lake/sdk/host', () => {
  it('loads no database driver, no query builder, no HTTP client and no zod', async () => {
    const loaded = packagesIn(await modulesLoadedBy('host.js'));
    expect(loaded.filter((name) => HEAVY.includes(name))).toEqual([]);
  });

  it('leaves node:crypto and node:child_process unloaded until used (`lake list` pays for neither)', async () => {
    const loaded = await modulesLoadedBy('host.js');
    expect(loaded.filter((url) => /^node:(crypto|child_process)$/.test(url))).toEqual([]);
  });

  it('is told apart from the main entry, which does load them (the check can fail)', async () => {
    // The main entry loads the query builder, the HTTP client and zod at once; database
    // drivers load only when a store is opened, so they are not expected here.
    const loaded = packagesIn(await modulesLoadedBy('index.js'));
    expect(loaded).toEqual(expect.arrayContaining(['kysely', 'got', 'zod']));
  });
});
