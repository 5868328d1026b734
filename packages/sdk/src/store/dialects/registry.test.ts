import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import type { CompileAnswer, CompileRequest } from './__fixtures__/dialect-compiler.js';
import type { DialectFactory } from './dialect-factory.js';
import { DIALECT_NAMES, DIALECTS } from './registry.js';
import { sqliteDialect } from './sqlite/index.js';
import { SqliteStoreDialect } from './sqlite/sqlite-store-dialect.js';
import type { StoreDialect } from './store-dialect.js';

const here = dirname(fileURLToPath(import.meta.url));
const registryFile = join(here, 'registry.ts');

// What `pnpm typecheck` proves on every run: a factory or a dialect that lacks a piece does not compile.
// @ts-expect-error Property 'testing' is missing in type … but required in type 'DialectFactory'.
const withoutTesting: DialectFactory = {
  schemes: ['oracle:'],
  example: 'oracle://…',
  locate: (url) => ({ url }),
  create: sqliteDialect.create,
};
// @ts-expect-error Property 'codec' is missing in type … but required in type 'StoreDialect'.
const withoutCodec: StoreDialect = {
  ...((await sqliteDialect.create({ path: ':memory:' })) as Omit<StoreDialect, 'codec'>),
};

/**
 * Type-checks the SDK with a dialect folder `oracle/` added beside the real ones and the
 * registry as given (files held in memory: the tree is not touched), and returns the
 * diagnostics of the files under `dialects/`. The checker runs in a worker thread
 * (`__fixtures__/dialect-compiler.ts`), one program reused from call to call.
 */
const compiler = new Worker(new URL('./__fixtures__/dialect-compiler.ts', import.meta.url), {
  workerData: { here, registryFile },
});
afterAll(() => compiler.terminate());
let requests = 0;

function compileWithDialect(folder: Record<string, string>, registry: string): Promise<string[]> {
  const id = ++requests;
  return new Promise((resolve, reject) => {
    const onMessage = (answer: CompileAnswer) => {
      if (answer.id !== id) return;
      compiler.off('message', onMessage);
      compiler.off('error', reject);
      resolve(answer.diagnostics);
    };
    compiler.on('message', onMessage);
    compiler.once('error', reject);
    compiler.postMessage({ id, folder, registry } satisfies CompileRequest);
  });
}

const registryWithOracle = ts.sys
  .readFile(registryFile)!
  .replace("import { mysqlDialect } from './mysql/index.js';", "$&\nimport { oracleDialect } from './oracle/index.js';")
  .replace('  mysql: mysqlDialect,\n', '$&  oracle: oracleDialect,\n');

describe('the dialect registry', () => {
  it('lists every dialect once, each with a factory that opens its URLs', () => {
    expect(DIALECT_NAMES).toEqual(['sqlite', 'postgres', 'mysql']);
    expect(withoutTesting.schemes).toEqual(['oracle:']);
    expect(withoutCodec.name).toBe('sqlite');
    for (const name of DIALECT_NAMES) {
      const factory = DIALECTS[name];
      expect(factory.schemes.length).toBeGreaterThan(0);
      expect(factory.example.startsWith(factory.schemes[0]!.replace(/:$/, ''))).toBe(true);
    }
  });

  it('takes a new dialect as one folder and one line, and names every piece the folder lacks', async () => {
    expect(registryWithOracle).toContain('oracle: oracleDialect');
    const complete = `
        import type { DialectFactory } from '../dialect-factory.js';
        import { sqliteDialect } from '../sqlite/index.js';
        export const oracleDialect: DialectFactory = { ...sqliteDialect, schemes: ['oracle:'], example: 'oracle://…' };`;
    const factory = `
      import type { DialectFactory } from '../dialect-factory.js';
      import { sqliteDialect } from '../sqlite/index.js';
      export const oracleDialect: DialectFactory = {
        schemes: ['oracle:'],
        example: 'oracle://…',
        locate: (url) => ({ url }),
        create: sqliteDialect.create,
      };`;
    expect((await compileWithDialect({ 'index.ts': factory }, registryWithOracle)).join('\n')).toMatch(
      /Property 'testing' is missing .* 'DialectFactory'/,
    );

    // An author who starts from a class with a name and follows the compiler: each round names
    // what is missing (four at a time, then "and N more"), the author adds those, until it is quiet.
    const added: string[] = [];
    const dialectClass = () => `
      import type { StoreDialect } from '../store-dialect.js';
      export class OracleStoreDialect implements StoreDialect {
        readonly name = 'oracle' as const;
        ${added.map((member) => `declare readonly ${member}: StoreDialect['${member}'];`).join('\n')}
      }`;
    let quiet = false;
    for (let round = 0; round < 10 && !quiet; round += 1) {
      const folder = { 'index.ts': complete, 'oracle-store-dialect.ts': dialectClass() };
      const errors = (await compileWithDialect(folder, registryWithOracle)).join('\n');
      quiet = errors === '';
      if (quiet) break;
      expect(errors).not.toContain('"oracle"'); // the name came with the registry line
      const named =
        /missing the following properties from type 'StoreDialect': ([^.\n]+)/.exec(errors)?.[1] ??
        /Property '(\w+)' is missing in type .* 'StoreDialect'/.exec(errors)?.[1];
      expect(named, errors).toBeDefined();
      added.push(...named!.split(', ').filter((member) => /^\w+$/.test(member)));
    }
    const sqlite = new SqliteStoreDialect(':memory:');
    const members = [
      ...Object.keys(sqlite),
      ...Object.getOwnPropertyNames(SqliteStoreDialect.prototype).filter((name) => name !== 'constructor'),
    ].filter((name) => name !== 'name');
    expect(quiet).toBe(true);
    expect(members.length).toBeGreaterThan(12);
    expect(added.sort()).toEqual(members.sort());
  });

  it('knows a name only from its registry line', async () => {
    const folderOnly = {
      'oracle-store-dialect.ts': `
        import { SqliteStoreDialect } from '../sqlite/sqlite-store-dialect.js';
        import type { StoreDialect } from '../store-dialect.js';
        export const oracle: StoreDialect = { ...new SqliteStoreDialect(':memory:'), name: 'oracle' };`,
    };
    const registry = ts.sys.readFile(registryFile)!;
    expect((await compileWithDialect(folderOnly, registry)).join('\n')).toContain('"oracle"');
  });
});
