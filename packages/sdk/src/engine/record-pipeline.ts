import type { ScopeContext } from '../contract/context.js';
import type { AnyStream, ExtractedRow, RawRecord } from '../contract/stream.js';
import type { ToolTable } from '../contract/tool-table.js';
import { snakeCase } from '../domain/columns.js';
import { type DomainRecord, isDomainTable } from '../domain/domain-schema.js';
import { LakeError } from '../errors/lake-error.js';
import type { Redactor } from '../secrets/redactor.js';
import type { StoreWriter } from '../store/store-writer.js';
import type { TableShape } from '../store/table-shape.js';
import { normalizeRow } from './column-values.js';
import { createDefaultExtractor } from './default-extractor.js';
import { domainShape, rawShape, toolShape } from './table-shapes.js';

export interface PipelinePhases {
  /** Turn raw records into tool rows. */
  extract: boolean;
  /** Turn tool rows into domain rows. */
  convert: boolean;
}

interface PendingRow {
  shape: TableShape;
  row: Record<string, unknown>;
  /** Index of the raw record it came from in this batch (its id is known once the batch is inserted). */
  rawIndex: number;
}

/** A batch ready to commit: computed outside the transaction, written inside it. */
export interface PreparedBatch {
  raw: Record<string, unknown>[];
  /** Ids of raw rows that already exist (re-extracting from the raw table). */
  rawIds?: number[];
  tool: PendingRow[];
  domain: PendingRow[];
}

export interface WrittenCounts {
  raw: number;
  tool: number;
  domain: number;
}

/**
 * collect → extract → convert for one stream. `prepare` runs the connector's extract and
 * convert code outside any transaction (they may read the database); `write` puts the
 * result into the three layers inside the caller's transaction.
 */
export class RecordPipeline {
  readonly #connector: string;
  readonly #stream: AnyStream;
  readonly #context: ScopeContext<never>;
  readonly #redactor: Redactor;
  readonly #rawShape: TableShape;
  readonly #toolShapes = new Map<ToolTable, TableShape>();
  readonly #extract: (data: unknown, raw: RawRecord) => Promise<ExtractedRow[]>;

  constructor(connector: string, stream: AnyStream, context: ScopeContext<never>, redactor: Redactor) {
    this.#connector = connector;
    this.#stream = stream;
    this.#context = context;
    this.#redactor = redactor;
    this.#rawShape = rawShape(connector, stream.name);
    for (const table of stream.tables) this.#toolShapes.set(table as ToolTable, toolShape(connector, table as ToolTable));
    const custom = stream.extract;
    const fallback = createDefaultExtractor(stream.tables[0] as ToolTable);
    this.#extract = async (data, raw) => {
      if (!custom) return [fallback(data)];
      const result = await custom(data, {
        ...this.#context,
        raw: { url: raw.url ?? '', input: raw.input ?? null, table: this.#rawShape.name },
      } as never);
      return result === undefined ? [] : Array.isArray(result) ? result : [result as ExtractedRow];
    };
  }

  get rawTable(): string {
    return this.#rawShape.name;
  }

  get toolShapes(): ReadonlyMap<ToolTable, TableShape> {
    return this.#toolShapes;
  }

  /** Raw records just collected: stored, then extracted and converted as `phases` say. */
  async prepareCollected(records: readonly RawRecord[], phases: PipelinePhases, now: Date): Promise<PreparedBatch> {
    const batch: PreparedBatch = { raw: [], tool: [], domain: [] };
    const params = this.#context.rawParams;
    for (const [index, record] of records.entries()) {
      batch.raw.push({
        params,
        data: this.#redactor.redactExact(JSON.stringify(record.data ?? null)),
        url: this.#redactor.redact(record.url ?? ''),
        input: this.#redactor.redactExact(JSON.stringify(record.input ?? null)),
        created_at: now,
      });
      if (phases.extract) await this.#extractInto(batch, record.data, record, index, phases.convert, now);
    }
    return batch;
  }

  /** Raw rows read back from the raw table (standalone `extract`). */
  async prepareStored(
    rows: ReadonlyArray<{ id: number; data: unknown; url: unknown; input: unknown }>,
    phases: PipelinePhases,
    now: Date,
  ): Promise<PreparedBatch> {
    const batch: PreparedBatch = { raw: [], rawIds: rows.map((row) => Number(row.id)), tool: [], domain: [] };
    for (const [index, row] of rows.entries()) {
      const data = JSON.parse(String(row.data));
      const input = row.input === null || row.input === undefined ? null : JSON.parse(String(row.input));
      await this.#extractInto(batch, data, { data, url: String(row.url ?? ''), input }, index, phases.convert, now);
    }
    return batch;
  }

  /** Tool rows read back from a tool table (standalone `convert`). */
  async prepareConverted(table: ToolTable, rows: readonly Record<string, unknown>[], now: Date): Promise<PreparedBatch> {
    const batch: PreparedBatch = { raw: [], rawIds: rows.map((row) => Number(row._raw_data_id)), tool: [], domain: [] };
    const shape = this.#toolShapes.get(table)!;
    for (const [index, row] of rows.entries()) {
      await this.#convertInto(batch, table, normalizeRow(shape.columns, row), index, now);
    }
    return batch;
  }

  async write(writer: StoreWriter, batch: PreparedBatch): Promise<WrittenCounts> {
    const rawIds = batch.rawIds ?? (batch.raw.length > 0 ? await writer.insertReturningIds(this.#rawShape, batch.raw) : []);
    const groups = new Map<string, { shape: TableShape; rows: Record<string, unknown>[] }>();
    for (const pending of [...batch.tool, ...batch.domain]) {
      pending.row._raw_data_id = rawIds[pending.rawIndex] ?? 0;
      let group = groups.get(pending.shape.name);
      if (!group) {
        group = { shape: pending.shape, rows: [] };
        groups.set(pending.shape.name, group);
      }
      group.rows.push(pending.row);
    }
    for (const group of groups.values()) await writer.upsert(group.shape, group.rows);
    return { raw: batch.raw.length, tool: batch.tool.length, domain: batch.domain.length };
  }

  async #extractInto(
    batch: PreparedBatch,
    data: unknown,
    raw: RawRecord,
    rawIndex: number,
    convert: boolean,
    now: Date,
  ): Promise<void> {
    let extracted: ExtractedRow[];
    try {
      extracted = await this.#extract(data, raw);
    } catch (error) {
      throw this.#failure('EXTRACT_FAILED', 'extract', error, raw.url);
    }
    for (const { table, row } of extracted) {
      const shape = this.#toolShapes.get(table);
      if (!shape) {
        throw new LakeError(
          'EXTRACT_FAILED',
          `stream "${this.#stream.name}" extracted a row for tool table "${table.entity}", which the stream does not declare in "tables"`,
          { source: this.#connector },
        );
      }
      const toolRow = this.#toolRow(shape, row, now);
      batch.tool.push({ shape, row: toolRow, rawIndex });
      if (convert) await this.#convertInto(batch, table, toolRow, rawIndex, now);
    }
  }

  async #convertInto(
    batch: PreparedBatch,
    table: ToolTable,
    toolRow: Record<string, unknown>,
    rawIndex: number,
    now: Date,
  ): Promise<void> {
    if (!table.convert) return;
    try {
      for await (const record of table.convert(toolRow as never, this.#context as never) as AsyncIterable<DomainRecord>) {
        batch.domain.push({ ...this.#domainRow(table, record, toolRow, now), rawIndex });
      }
    } catch (error) {
      if (error instanceof LakeError && error.code === 'CONVERT_FAILED') throw error;
      throw this.#failure('CONVERT_FAILED', `convert of ${table.entity}`, error);
    }
  }

  #toolRow(shape: TableShape, row: Record<string, unknown>, now: Date): Record<string, unknown> {
    const named: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(row)) {
      const column = /[A-Z]/.test(name) ? snakeCase(name) : name;
      if (!(column in shape.columns)) {
        throw new LakeError('EXTRACT_FAILED', `tool table ${shape.name} has no column "${column}"`, {
          source: this.#connector,
        });
      }
      named[column] = value;
    }
    const normalized = normalizeRow(shape.columns, named);
    for (const key of shape.keys) {
      if (key !== 'connection_id' && (normalized[key] === null || normalized[key] === undefined)) {
        throw new LakeError('EXTRACT_FAILED', `tool row for ${shape.name} has no value for key column "${key}"`, {
          source: this.#connector,
        });
      }
    }
    return {
      ...normalized,
      connection_id: this.#context.ids.connectionId,
      created_at: now,
      updated_at: now,
      _raw_data_params: this.#context.rawParams,
      _raw_data_table: this.#rawShape.name,
      _raw_data_id: 0,
      _raw_data_remark: '',
    };
  }

  #domainRow(
    table: ToolTable,
    record: DomainRecord,
    toolRow: Record<string, unknown>,
    now: Date,
  ): { shape: TableShape; row: Record<string, unknown> } {
    if (!isDomainTable(record.table) || !table.produces.includes(record.table)) {
      throw new LakeError(
        'CONVERT_FAILED',
        `convert of ${table.entity} yielded a row for "${record.table}", which is not in its "produces" list`,
        { source: this.#connector },
      );
    }
    const shape = domainShape(record.table);
    const row = record.row as Record<string, unknown>;
    for (const name of Object.keys(row)) {
      if (!(name in shape.columns)) {
        throw new LakeError('CONVERT_FAILED', `domain table ${record.table} has no column "${name}"`, {
          source: this.#connector,
        });
      }
    }
    for (const key of shape.keys) {
      if (row[key] === null || row[key] === undefined) {
        throw new LakeError('CONVERT_FAILED', `domain row for ${record.table} has no value for key column "${key}"`, {
          source: this.#connector,
        });
      }
    }
    return {
      shape,
      row: {
        ...row,
        created_at: now,
        updated_at: now,
        _raw_data_params: toolRow._raw_data_params,
        _raw_data_table: toolRow._raw_data_table,
        _raw_data_id: 0,
        _raw_data_remark: '',
      },
    };
  }

  #failure(code: 'EXTRACT_FAILED' | 'CONVERT_FAILED', phase: string, error: unknown, url?: string): LakeError {
    const message = error instanceof Error ? error.message : String(error);
    const where = url ? ` (record from ${this.#redactor.redact(url)})` : '';
    return new LakeError(code, `stream "${this.#stream.name}": ${phase} failed${where}: ${this.#redactor.redact(message)}`, {
      source: this.#connector,
      cause: this.#redactor.redactError(error),
    });
  }
}
