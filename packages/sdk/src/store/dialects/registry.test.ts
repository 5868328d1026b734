import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
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
 * diagnostics of the files under `dialects/`.
 */
let previous: ts.Program | undefined;

function compileWithDialect(folder: Record<string, string>, registry: string): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: ['node'],
  };
  const virtual = new Map<string, string>([[registryFile, registry]]);
  for (const [name, text] of Object.entries(folder)) virtual.set(join(here, 'oracle', name), text);
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => virtual.get(file) ?? readFile(file);
  host.fileExists = (file) => virtual.has(file) || fileExists(file);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (directory) =>
    directory === join(here, 'oracle') ||
    (directoryExists ? directoryExists(directory) : ts.sys.directoryExists(directory));
  host.getSourceFile = (file, language, onError, create) => {
    const text = virtual.get(file);
    return text === undefined
      ? getSourceFile(file, language, onError, create)
      : ts.createSourceFile(file, text, language);
  };
  const roots = [
    registryFile,
    join(here, '..', 'store.ts'),
    ...[...virtual.keys()].filter((file) => file !== registryFile),
  ];
  const program = ts.createProgram(roots, options, host, previous);
  previous = program;
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file?.fileName.startsWith(here))
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
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

  it('takes a new dialect as one folder and one line, and names every piece the folder lacks', () => {
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
    expect(compileWithDialect({ 'index.ts': factory }, registryWithOracle).join('\n')).toMatch(
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
      const errors = compileWithDialect(folder, registryWithOracle).join('\n');
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

  it('knows a name only from its registry line', () => {
    const folderOnly = {
      'oracle-store-dialect.ts': `
        import { SqliteStoreDialect } from '../sqlite/sqlite-store-dialect.js';
        import type { StoreDialect } from '../store-dialect.js';
        export const oracle: StoreDialect = { ...new SqliteStoreDialect(':memory:'), name: 'oracle' };`,
    };
    const registry = ts.sys.readFile(registryFile)!;
    expect(compileWithDialect(folderOnly, registry).join('\n')).toContain('"oracle"');
  });
});
