import type { ScopeContext } from '../contract/context.js';
import type { ReplacedRows } from '../contract/replaced-rows.js';
import type { AnyStream, ExtractedRow, ExtractResult, RawRecord } from '../contract/stream.js';
import type { ToolTable } from '../contract/tool-table.js';
import { snakeCase } from '../domain/columns.js';
import { type DomainRecord, isDomainTable } from '../domain/domain-schema.js';
import { LakeError, messageOf } from '../errors/lake-error.js';
import type { Redactor } from '../secrets/redactor.js';
import type { StoreDialect } from '../store/dialects/store-dialect.js';
import { StoreWriter } from '../store/store-writer.js';
import type { TableShape } from '../store/table-shape.js';
import { normalizeRow, textOf } from '../store/value-codec.js';
import { type OverlongValueSite, ValueTooLongError } from '../store/value-too-long.js';
import { createDefaultExtractor } from './default-extractor.js';
import { domainShape, rawShape, toolShape } from './layer-table-shapes.js';
import {
  type BatchRow,
  deleteStaleRows,
  type Replacement,
  type RowProvenance,
  type StaleRows,
  settleReplacements,
  toReplacement,
} from './stale-rows.js';

export interface PipelinePhases {
  /** Turn raw records into tool rows. */
  extract: boolean;
  /** Turn tool rows into domain rows. */
  convert: boolean;
}

/** A row to write; `rawIndex` is its raw record's place in the batch (the record's id is known once inserted). */
type PendingRow = BatchRow;

/** A batch ready to commit: computed outside the transaction, written inside it. */
export interface PreparedBatch {
  raw: Record<string, unknown>[];
  /** Ids of raw rows that already exist (re-extracting from the raw table). */
  rawIds?: number[];
  tool: PendingRow[];
  domain: PendingRow[];
  /** `replaceRows` declarations of the batch's records. */
  replacements?: Replacement[];
  /** Rows the records no longer yield, deleted when the batch is written. */
  stale?: StaleRows;
}

export interface WrittenCounts {
  raw: number;
  tool: number;
  domain: number;
  /** Tool and domain rows deleted because their record no longer yields them (`replaceRows`). */
  removed: number;
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
  readonly #dialect: StoreDialect;
  readonly #rawShape: TableShape;
  readonly #toolShapes = new Map<ToolTable, TableShape>();
  /** Domain tables each tool table may write. */
  readonly #produces = new Map<ToolTable, ReadonlySet<string>>();
  readonly #defaultExtract: (data: unknown) => ExtractedRow;
  /** The last URL seen and its redacted form: a page's records share one URL. */
  #lastUrl = '';
  #lastRedactedUrl = '';

  constructor(
    connector: string,
    stream: AnyStream,
    context: ScopeContext<never>,
    redactor: Redactor,
    dialect: StoreDialect,
  ) {
    this.#connector = connector;
    this.#stream = stream;
    this.#context = context;
    this.#redactor = redactor;
    this.#dialect = dialect;
    this.#rawShape = rawShape(connector, stream.name);
    for (const table of stream.tables as readonly ToolTable[]) {
      this.#toolShapes.set(table, toolShape(connector, table));
      this.#produces.set(table, new Set(table.produces));
    }
    this.#defaultExtract = createDefaultExtractor(stream.tables[0] as ToolTable);
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
    for (let index = 0; index < records.length; index += 1) {
      const record = records[index]!;
      batch.raw.push({
        params,
        data: this.#redactor.redactExact(JSON.stringify(record.data ?? null)),
        url: this.#redactUrl(record.url ?? ''),
        input: record.input === undefined ? 'null' : this.#redactor.redactExact(JSON.stringify(record.input)),
        created_at: now,
      });
      if (phases.extract) {
        const pending = this.#extractInto(batch, record.data, record, index, phases.convert, now);
        if (pending) await pending;
      }
    }
    await this.#settleReplacements(batch);
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
    await this.#settleReplacements(batch);
    return batch;
  }

  /** Tool rows read back from a tool table (standalone `convert`). */
  async prepareConverted(
    table: ToolTable,
    rows: readonly Record<string, unknown>[],
    now: Date,
  ): Promise<PreparedBatch> {
    const batch: PreparedBatch = { raw: [], rawIds: rows.map((row) => Number(row._raw_data_id)), tool: [], domain: [] };
    const shape = this.#toolShapes.get(table)!;
    for (const [index, row] of rows.entries()) {
      await this.#convertInto(batch, table, normalizeRow(shape.columns, row), index, now);
    }
    return batch;
  }

  /**
   * Writes a prepared batch. The writer's converters refuse a value longer than its varchar
   * column (checking there costs one comparison per value, on a value the writer touches
   * anyway); such a failure is reported as the extract (tool and raw rows) or convert (domain
   * rows) failure it is.
   */
  async write(writer: StoreWriter, batch: PreparedBatch): Promise<WrittenCounts> {
    try {
      return await this.#write(writer, batch);
    } catch (error) {
      if (error instanceof ValueTooLongError && error.site) throw this.#overlongFailure(error, error.site);
      throw error;
    }
  }

  async #write(writer: StoreWriter, batch: PreparedBatch): Promise<WrittenCounts> {
    const rawIds =
      batch.rawIds ?? (batch.raw.length > 0 ? await writer.insertReturningIds(this.#rawShape, batch.raw) : []);
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
    const removed = batch.stale ? await deleteStaleRows(writer, batch.stale, this.#provenance()) : 0;
    return { raw: batch.raw.length, tool: batch.tool.length, domain: batch.domain.length, removed };
  }

  /** Which rows of the lake this stream writes for the scope. */
  #provenance(): RowProvenance {
    return {
      connectionId: this.#context.ids.connectionId,
      rawParams: this.#context.rawParams,
      rawTable: this.#rawShape.name,
    };
  }

  /**
   * Drops rows of records replaced later in the batch and finds the rows the lake holds that
   * the batch's records no longer yield (`replaceRows`). Batches of a stream are prepared one
   * after another, each once the one before committed, so the lake read here is the one the
   * write meets.
   */
  async #settleReplacements(batch: PreparedBatch): Promise<void> {
    if (!batch.replacements?.length) return;
    batch.stale = await settleReplacements({
      replacements: batch.replacements,
      tool: batch.tool,
      domain: batch.domain,
      reader: new StoreWriter(this.#context.db, this.#dialect),
      provenance: this.#provenance(),
      context: this.#context,
    });
  }

  /**
   * Extracts one raw record (and converts what it yields). Synchronous when the extractor and
   * converters are: it returns a promise only when something it called did, so a plain
   * connector pays no await per record.
   */
  #extractInto(
    batch: PreparedBatch,
    data: unknown,
    raw: RawRecord,
    rawIndex: number,
    convert: boolean,
    now: Date,
  ): Promise<void> | undefined {
    const custom = this.#stream.extract;
    let result: ExtractResult | Promise<ExtractResult>;
    try {
      result = custom
        ? custom(data, {
            ...this.#context,
            raw: { url: raw.url ?? '', input: raw.input ?? null, table: this.#rawShape.name },
          } as never)
        : this.#defaultExtract(data);
    } catch (error) {
      throw this.#failure('EXTRACT_FAILED', 'extract', error, raw.url);
    }
    if (result instanceof Promise) {
      return result.then(
        (resolved) => this.#addExtracted(batch, resolved, Boolean(custom), rawIndex, convert, now),
        (error: unknown) => {
          throw this.#failure('EXTRACT_FAILED', 'extract', error, raw.url);
        },
      );
    }
    return this.#addExtracted(batch, result, Boolean(custom), rawIndex, convert, now);
  }

  #addExtracted(
    batch: PreparedBatch,
    result: ExtractResult,
    custom: boolean,
    rawIndex: number,
    convert: boolean,
    now: Date,
  ): Promise<void> | undefined {
    const extracted: readonly (ExtractedRow | ReplacedRows)[] =
      result === undefined ? [] : Array.isArray(result) ? result : [result as ExtractedRow | ReplacedRows];
    let pending: Promise<void> | undefined;
    for (const item of extracted) {
      if ('replaces' in item) {
        const where = `stream "${this.#stream.name}": extract`;
        batch.replacements ??= [];
        batch.replacements.push(toReplacement(item as ReplacedRows, this.#toolShapes, rawIndex, where));
        continue;
      }
      const { table, row } = item;
      const shape = this.#toolShapes.get(table);
      if (!shape) {
        throw new LakeError(
          'EXTRACT_FAILED',
          `stream "${this.#stream.name}" extracted a row for tool table "${table.entity}", which the stream does not declare in "tables"`,
          { source: this.#connector },
        );
      }
      // The default extractor's rows are already typed and complete; a custom extractor's are checked.
      const toolRow = this.#withProvenance(custom ? this.#checkedToolRow(shape, row) : row, now);
      batch.tool.push({ shape, row: toolRow, rawIndex });
      if (convert) {
        const converting = this.#convertInto(batch, table, toolRow, rawIndex, now);
        if (converting) pending = pending ? pending.then(() => converting) : converting;
      }
    }
    return pending;
  }

  /** Converts one tool row; synchronous for generator converters, a promise for async ones. */
  #convertInto(
    batch: PreparedBatch,
    table: ToolTable,
    toolRow: Record<string, unknown>,
    rawIndex: number,
    now: Date,
  ): Promise<void> | undefined {
    if (!table.convert) return undefined;
    const fail = (error: unknown) => {
      if (error instanceof LakeError && error.code === 'CONVERT_FAILED') return error;
      return this.#failure('CONVERT_FAILED', `convert of ${table.entity}`, error);
    };
    let records: Iterable<DomainRecord> | AsyncIterable<DomainRecord>;
    try {
      records = table.convert(toolRow as never, this.#context as never);
      // Most converters are plain generators: iterate them without an await per row.
      if (Symbol.iterator in records) {
        for (const record of records as Iterable<DomainRecord>)
          batch.domain.push(this.#domainRow(table, record, toolRow, now, rawIndex));
        return undefined;
      }
    } catch (error) {
      throw fail(error);
    }
    const asynchronous = records as AsyncIterable<DomainRecord>;
    return (async () => {
      try {
        for await (const record of asynchronous)
          batch.domain.push(this.#domainRow(table, record, toolRow, now, rawIndex));
      } catch (error) {
        throw fail(error);
      }
    })();
  }

  /** A custom extractor's row: snake_case names, declared columns only, values typed, keys present. */
  #checkedToolRow(shape: TableShape, row: Record<string, unknown>): Record<string, unknown> {
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
    return normalized;
  }

  /** Adds the connection and provenance columns to a tool row the pipeline owns. */
  #withProvenance(row: Record<string, unknown>, now: Date): Record<string, unknown> {
    row.connection_id = this.#context.ids.connectionId;
    row.created_at = now;
    row.updated_at = now;
    row._raw_data_params = this.#context.rawParams;
    row._raw_data_table = this.#rawShape.name;
    // No `_raw_data_id` yet: the raw row is written after convert, and a 0 here let a convert
    // build every record's id from it (ConvertRow leaves it out; `write` sets it).
    row._raw_data_remark = '';
    return row;
  }

  /** Checks a converted row against its table and stamps provenance on it (the row is the pipeline's from here on). */
  #domainRow(
    table: ToolTable,
    record: DomainRecord,
    toolRow: Record<string, unknown>,
    now: Date,
    rawIndex: number,
  ): PendingRow {
    if (!this.#produces.get(table)!.has(record.table) || !isDomainTable(record.table)) {
      throw new LakeError(
        'CONVERT_FAILED',
        `convert of ${table.entity} yielded a row for "${record.table}", which is not in its "produces" list`,
        { source: this.#connector },
      );
    }
    const shape = domainShape(record.table);
    const row = record.row as Record<string, unknown>;
    for (const name in row) {
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
    row.created_at = now;
    row.updated_at = now;
    row._raw_data_params = toolRow._raw_data_params;
    row._raw_data_table = toolRow._raw_data_table;
    row._raw_data_id = 0;
    row._raw_data_remark = '';
    return { shape, row, rawIndex, from: toolRow };
  }

  #redactUrl(url: string): string {
    if (url !== this.#lastUrl) {
      this.#lastUrl = url;
      this.#lastRedactedUrl = this.#redactor.redact(url);
    }
    return this.#lastRedactedUrl;
  }

  /**
   * A value too long for its varchar column, refused by the writer on every dialect alike
   * (SQLite would store it, PostgreSQL and MySQL fail the batch without naming the row). The
   * message names the phase, table, column, both lengths and the row's key, redacted and shortened.
   */
  #overlongFailure(error: ValueTooLongError, site: OverlongValueSite): LakeError {
    const { shape, row, column } = site;
    const [code, phase] = isDomainTable(shape.name)
      ? (['CONVERT_FAILED', 'convert'] as const)
      : shape.name === this.#rawShape.name
        ? (['STREAM_FAILED', 'collect'] as const)
        : (['EXTRACT_FAILED', 'extract'] as const);
    const key = Object.fromEntries(
      shape.keys.map((name) => [name, shorten(this.#redactor.redact(textOf(row[name] ?? null)))]),
    );
    const keyText = Object.entries(key)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ');
    return new LakeError(
      code,
      `stream "${this.#stream.name}": ${phase} failed: ${shape.name}.${column} is varchar(${error.declaredLength}) but a value has ${error.valueLength} characters (row ${keyText})`,
      {
        source: this.#connector,
        details: {
          table: shape.name,
          column,
          declaredLength: error.declaredLength,
          valueLength: error.valueLength,
          key,
        },
      },
    );
  }

  #failure(code: 'EXTRACT_FAILED' | 'CONVERT_FAILED', phase: string, error: unknown, url?: string): LakeError {
    const message = messageOf(error);
    const where = url ? ` (record from ${this.#redactor.redact(url)})` : '';
    return new LakeError(
      code,
      `stream "${this.#stream.name}": ${phase} failed${where}: ${this.#redactor.redact(message)}`,
      {
        source: this.#connector,
        cause: this.#redactor.redactError(error),
      },
    );
  }
}

/** Key values in messages stay short: a key can be the very value that was too long. */
const SHORTENED_LENGTH = 60;

function shorten(text: string): string {
  const points = Array.from(text);
  return points.length <= SHORTENED_LENGTH ? text : `${points.slice(0, SHORTENED_LENGTH).join('')}…`;
}
