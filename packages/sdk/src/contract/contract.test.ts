import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { booksTable, createLibrary, createLibraryConnector } from '../__fixtures__/library-connector.js';
import { column, key, snakeCase } from '../domain/columns.js';
import { commitFileId, createDomainIds, domainId, refId } from '../domain/domain-ids.js';
import { domainKeyColumns } from '../domain/domain-schema.js';
import { connectorInfo } from './connector-info.js';
import { defineConnector } from './define-connector.js';
import { defineStream, defineSubstream } from './stream.js';
import { defineToolTable } from './tool-table.js';

const table = defineToolTable()({ entity: 'things', columns: { id: key(column.bigint()) } });
const stream = (name: string, dependsOn: string[] = []) =>
  defineStream({
    name,
    dependsOn,
    tables: [table],
    async *collect() {},
  });
const base = {
  contractVersion: '1.0.0' as const,
  name: 'demo',
  description: 'demo',
  domainTypes: ['CROSS' as const],
  connection: z.object({}),
  scope: {
    schema: z.object({ name: z.string() }),
    id: (scope: { name: string }) => scope.name,
    name: (scope: { name: string }) => scope.name,
  },
  scopeConfig: z.object({}),
  testConnection: async () => ({ ok: true, message: 'ok' }),
  domainScopes: () => [],
  migrations: {},
};

describe('defineConnector', () => {
  it('orders streams by their dependencies and parents', () => {
    const connector = createLibraryConnector(createLibrary(1));
    expect(connector.orderedStreams.map((each) => each.name)).toEqual(['books', 'loans', 'authors']);
    const reordered = defineConnector({ ...base, streams: [stream('c', ['b']), stream('b', ['a']), stream('a')] });
    expect(reordered.orderedStreams.map((each) => each.name)).toEqual(['a', 'b', 'c']);
    expect(connector.domainTables).toEqual(['accounts', 'boards', 'issue_assignees', 'issues']);
  });

  it('refuses mistakes when the module loads, with the connector named', () => {
    expect(() => defineConnector({ ...base, streams: [stream('a', ['b']), stream('b', ['a'])] })).toThrow(
      '[lake] [demo] streams depend on each other in a cycle: a → b → a',
    );
    expect(() => defineConnector({ ...base, streams: [stream('a', ['missing'])] })).toThrow(/unknown stream "missing"/);
    expect(() => defineConnector({ ...base, streams: [stream('a'), stream('a')] })).toThrow(/declared twice/);
    expect(() => defineConnector({ ...base, name: 'Bad-Name', streams: [] })).toThrow(/connector name must match/);
    expect(() => defineConnector({ ...base, contractVersion: '2.0.0', streams: [] })).toThrow(
      '[lake] [demo] contractVersion "2.0.0" is not supported (this SDK implements contract 1.0.0)',
    );
    expect(() => defineConnector({ ...base, contractVersion: '1.1.0', streams: [] })).toThrow(
      /"1.1.0" is not supported/,
    );
    expect(() => defineConnector({ ...base, contractVersion: 'v2' as '1.0.0', streams: [] })).toThrow(
      /contractVersion "v2" is not a version like "1.0.0"/,
    );
    expect(() => defineConnector({ ...base, connection: z.object({ id: z.number() }), streams: [] })).toThrow(
      /must not declare "id"/,
    );
  });

  it('refuses bad streams and tool tables', () => {
    expect(() => stream('Bad Name')).toThrow(/stream name "Bad Name"/);
    expect(() => defineStream({ name: 'empty', tables: [], async *collect() {} })).toThrow(/writes no tool table/);
    expect(() => defineToolTable()({ entity: 'x-y', columns: { id: key(column.bigint()) } })).toThrow(/entity "x-y"/);
    expect(() => defineToolTable()({ entity: 'nokey', columns: { id: column.bigint() } })).toThrow(/no key column/);
    expect(() =>
      defineToolTable()({ entity: 'clash', columns: { id: key(column.bigint()), updatedAt: column.datetime() } }),
    ).toThrow(/updated_at, which the SDK reserves/);
    expect(() => defineToolTable()({ entity: 'quiet', columns: { id: key(column.bigint()) }, *convert() {} })).toThrow(
      /declares no "produces"/,
    );
    const substream = defineSubstream()({
      name: 'children',
      parent: { stream: 'books', table: booksTable },
      tables: [table],
      async *collect() {},
    });
    expect(substream.kind).toBe('substream');
  });

  it('runs a connector compiled when the contract version was stated as "v1" (read as 1.0.0)', () => {
    const legacy = defineConnector({ ...base, contractVersion: 'v1' as '1.0.0', streams: [stream('a')] });
    expect(legacy.name).toBe('demo');
  });

  it('publishes info with input-side JSON Schemas and the contract version', () => {
    const info = connectorInfo(
      defineConnector({ ...base, scopeConfig: z.object({ depth: z.number().default(3) }), streams: [stream('a')] }),
      '1.0.0',
    );
    expect(info.contract).toEqual({ version: '1.0.0' });
    expect(info.schemas.scopeConfig).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      properties: { depth: { type: 'number', default: 3 } },
    });
    expect((info.schemas.scopeConfig as { required?: string[] }).required).toBeUndefined();
    expect(info.streams[0]).toMatchObject({ name: 'a', rawTable: '_raw_demo_a', toolTables: ['_tool_demo_things'] });
  });
});

describe('ids and names', () => {
  it('follows DevLake’s id conventions', () => {
    expect(domainId('github', 'GithubIssue', 1, 346842831)).toBe('github:GithubIssue:1:346842831');
    expect(createDomainIds('github', 1).of('GithubRun', 134018330, 2559400712)).toBe(
      'github:GithubRun:1:134018330:2559400712',
    );
    expect(refId('github:GithubRepo:1:1', 'refs/tags/v1.0')).toBe('github:GithubRepo:1:1:refs/tags/v1.0');
    expect(commitFileId('abc', 'src/a.ts')).toBe(`abc:${createHash('sha256').update('src/a.ts').digest('hex')}`);
    expect(domainKeyColumns('pull_request_commits')).toEqual(['pull_request_id', 'commit_sha']);
    expect(domainKeyColumns('project_mapping')).toEqual(['project_name', 'table', 'row_id']);
  });

  it('snake-cases property names one capital at a time', () => {
    expect(snakeCase('authorName')).toBe('author_name');
    expect(snakeCase('already_snake')).toBe('already_snake');
    expect(snakeCase('fileCount2')).toBe('file_count2');
  });
});
