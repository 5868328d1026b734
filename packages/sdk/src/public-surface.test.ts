import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as main from './index.js';

/**
 * The values `@lake/sdk` offers a connector. Growing this list is a decision (a new thing every
 * connector may lean on forever), so it is pinned: what the runtime, the testkit or the SDK
 * itself needs goes to `@lake/sdk/host`, `/store`, `/protocol` or `/testing` instead.
 */
const MAIN_ENTRY_VALUES = [
  'ApiClient',
  'ApiError',
  'ConfigError',
  'DEFAULT_RETRY_POLICY',
  'LakeError',
  'RequestBudget',
  'SDK_MIGRATIONS',
  'SECRET_SCHEMA_KEYWORD',
  'Secret',
  'column',
  'commitFileId',
  'commitRecord',
  'createApiClient',
  'createDomainIds',
  'cursor',
  'defineConnector',
  'defineRestStream',
  'defineRestSubstream',
  'defineStream',
  'defineSubstream',
  'defineToolTable',
  'domainRecord',
  'extractRow',
  'graphqlCursor',
  'headerValue',
  'indexed',
  'isLakeError',
  'key',
  'linkHeader',
  'messageOf',
  'nextPageHeader',
  'nullable',
  'offset',
  'openStore',
  'pageNumber',
  'paginate',
  'parseLinkHeader',
  'patternSetting',
  'pendingMigrations',
  'readRateLimit',
  'refId',
  'renderLowerBound',
  'replaceRows',
  'retryAfterMs',
  'runListRemoteScopes',
  'runMigrations',
  'runSync',
  'runTestConnection',
  'secret',
  'sql',
  'standardVerdict',
  'timeAfterSetting',
  'toolTableName',
  'z',
];

describe('the main entry of @lake/sdk', () => {
  it('exports exactly the values a connector needs (a new one is added here on purpose)', () => {
    expect(Object.keys(main).sort()).toEqual([...MAIN_ENTRY_VALUES].sort());
  });
});

/** The string literals of a union type `export type <name> = | 'A' | 'B' …;` in `source`. */
function codesOfUnion(source: string, name: string): string[] {
  const declaration = new RegExp(`export type ${name} =([^;]*);`).exec(source);
  if (!declaration?.[1]) throw new Error(`no union type ${name}`);
  return [...declaration[1].matchAll(/'([A-Z_]+)'/g)].map((match) => match[1] as string);
}

/** Every non-test TypeScript file under `directory`, with its text. */
function sourceFiles(directory: string): { path: string; text: string }[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts'))
    .map((path) => ({ path, text: readFileSync(join(directory, path), 'utf8') }));
}

describe('the error codes of @lake/sdk', () => {
  const declaredIn = 'errors/lake-error.ts';
  const root = new URL('.', import.meta.url).pathname;
  const codes = codesOfUnion(readFileSync(join(root, declaredIn), 'utf8'), 'LakeErrorCode');
  const files = sourceFiles(root).filter((file) => file.path !== declaredIn);

  it.each(codes)('%s is raised somewhere outside its declaration', (code) => {
    expect(files.filter((file) => file.text.includes(`'${code}'`)).map((file) => file.path)).not.toEqual([]);
  });

  it('reads the union (the check can fail: a code nobody raises is found)', () => {
    const planted = "export type LakeErrorCode = | 'USAGE' | 'NEVER_RAISED_ANYWHERE';";
    const unused = codesOfUnion(planted, 'LakeErrorCode').filter((code) =>
      files.every((file) => !file.text.includes(`'${code}'`)),
    );
    expect(unused).toEqual(['NEVER_RAISED_ANYWHERE']);
  });
});
