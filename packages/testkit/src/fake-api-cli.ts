#!/usr/bin/env node
/**
 * `lake-fake-api serve <module> [--port <n>] [--size small|large] [--context-out <file>]`
 *
 * Serves a connector's fake API outside any test runner, so that an author can point the
 * standalone connector CLI at it:
 *
 *   lake-fake-api serve test/fake-github/serve.ts --port 8080 --context-out context.json &
 *   lake-connector-github sync --context context.json --db sqlite:lake.db
 *
 * The module (TypeScript runs under Node's type stripping) exports `serveFake` (see
 * `ServeFake`). The context is printed on stdout (and written to `--context-out`); the fake runs
 * until SIGINT or SIGTERM.
 */
import { writeFile } from 'node:fs/promises';
import { registerHooks } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ServeFake } from './fake-api/served-fake.js';

/**
 * Test sources written for TypeScript's bundler-style resolution import `./x.js` for `./x.ts`.
 * Node's type stripping runs `.ts` files but resolves specifiers as written: retry a relative
 * `.js` that does not exist as `.ts`.
 */
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      const relative = specifier.startsWith('./') || specifier.startsWith('../');
      if (!relative || !specifier.endsWith('.js') || (error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND')
        throw error;
      return nextResolve(`${specifier.slice(0, -'.js'.length)}.ts`, context);
    }
  },
});

const USAGE = 'usage: lake-fake-api serve <module> [--port <n>] [--size small|large] [--context-out <file>]';

async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`[lake] ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [command, module] = parsed.positionals;
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command !== 'serve' || module === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const port = Number(parsed.values.port ?? 0);
  const size = parsed.values.size ?? 'small';
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`[lake] --port must be a port number (got "${parsed.values.port}")\n`);
    return 2;
  }
  if (size !== 'small' && size !== 'large') {
    process.stderr.write(`[lake] --size must be small or large (got "${size}")\n`);
    return 2;
  }
  const loaded = (await import(pathToFileURL(resolve(module)).href)) as { serveFake?: ServeFake };
  if (typeof loaded.serveFake !== 'function') {
    process.stderr.write(`[lake] ${module} does not export serveFake\n`);
    return 2;
  }
  const served = await loaded.serveFake({ port, size });
  const text = `${JSON.stringify(served.context, null, 2)}\n`;
  if (parsed.values['context-out']) await writeFile(parsed.values['context-out'], text, { mode: 0o600 });
  process.stdout.write(text);
  process.stderr.write(`[lake] fake API serving on ${served.api.url} (Ctrl-C to stop)\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await (served.close ? served.close() : served.api.close());
  return 0;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string' },
      size: { type: 'string' },
      'context-out': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

process.exitCode = await main(process.argv.slice(2));
