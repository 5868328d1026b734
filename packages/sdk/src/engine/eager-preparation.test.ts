import { describe, expect, it } from 'vitest';
import type { ScopeContext } from '../contract/context.js';
import { defineStream } from '../contract/stream.js';
import { defineToolTable } from '../contract/tool-table.js';
import { column, key } from '../domain/columns.js';
import { domainRecord } from '../domain/domain-schema.js';
import { Redactor } from '../secrets/redactor.js';
import { SqliteStoreDialect } from '../store/dialects/sqlite/sqlite-store-dialect.js';
import { RecordPipeline } from './record-pipeline.js';

const columns = { id: key(column.bigint()), title: column.text() };
const plain = defineToolTable()({ entity: 'plain', columns });
const generating = defineToolTable()({
  entity: 'generating',
  columns,
  produces: ['issues'],
  *convert(row) {
    yield domainRecord('issues', { id: `x:${row.id}`, title: String(row.title) });
  },
});
const awaiting = defineToolTable()({
  entity: 'awaiting',
  columns,
  produces: ['issues'],
  async *convert(row) {
    yield domainRecord('issues', { id: `x:${row.id}`, title: String(row.title) });
  },
});

function pipelineOf(stream: Parameters<typeof defineStream>[0]): RecordPipeline {
  return new RecordPipeline(
    'fixture',
    defineStream(stream),
    {} as ScopeContext<never>,
    new Redactor(),
    new SqliteStoreDialect(':memory:'),
  );
}

describe('which streams prepare a batch without reading the lake', () => {
  const collect = async function* () {};
  it('the schema-driven extractor with no converter, or converters that are plain generators', () => {
    expect(pipelineOf({ name: 'a', tables: [plain], collect }).preparesWithoutReading).toBe(true);
    expect(pipelineOf({ name: 'b', tables: [generating, plain], collect }).preparesWithoutReading).toBe(true);
  });

  it('not a custom extractor, nor an async converter: either may await a query', () => {
    const extract = (data: unknown) => ({ table: plain, row: data as Record<string, unknown> });
    expect(pipelineOf({ name: 'c', tables: [plain], collect, extract }).preparesWithoutReading).toBe(false);
    expect(pipelineOf({ name: 'd', tables: [generating, awaiting], collect }).preparesWithoutReading).toBe(false);
  });
});
