import type { ScopeContext } from '../contract/context.js';
import type { ReplacedRows } from '../contract/replaced-rows.js';
import type { ToolTable } from '../contract/tool-table.js';
import { snakeCase } from '../domain/columns.js';
import { type DomainRecord, isDomainTable } from '../domain/domain-schema.js';
import { LakeError, messageOf } from '../errors/lake-error.js';
import type { StoreWriter } from '../store/store-writer.js';
import type { TableShape } from '../store/table-shape.js';
import { normalizeRow, toColumnValue } from '../store/value-codec.js';
import { domainShape } from './layer-table-shapes.js';

/** One `replaceRows` of a batch: the owner's rows of `shape`, as the record at `rawIndex` yields them. */
export interface Replacement {
  table: ToolTable;
  shape: TableShape;
  /** Owner columns (database names) and their values, in the columns' JavaScript types. */
  owner: Record<string, unknown>;
  rawIndex: number;
}

/** A row about to be written, with the raw record it came from (and, for a domain row, the tool row it was converted from). */
export interface BatchRow {
  shape: TableShape;
  row: Record<string, unknown>;
  rawIndex: number;
  from?: Record<string, unknown>;
}

/** Keys of the rows a batch deletes when it is written, per table. */
export interface StaleRows {
  tool: Map<TableShape, Record<string, unknown>[]>;
  domain: Map<TableShape, Record<string, unknown>[]>;
}

/** Which rows a stream writes for a scope: deletions touch nothing else. */
export interface RowProvenance {
  connectionId: number;
  rawParams: string;
  rawTable: string;
}

/** Owners looked up per query, and keys deleted per statement. */
const CHUNK = 200;

/** Checks a `replaceRows` against the stream's tables and brings its owner into database names and types. */
export function toReplacement(
  declared: ReplacedRows,
  shapes: ReadonlyMap<ToolTable, TableShape>,
  rawIndex: number,
  where: string,
): Replacement {
  const shape = shapes.get(declared.replaces);
  const fail = (problem: string) =>
    new LakeError('EXTRACT_FAILED', `${where}: replaceRows(${declared.replaces?.entity ?? '?'}, …) ${problem}`);
  if (!shape) throw fail('names a tool table the stream does not declare in "tables"');
  const owner: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(declared.owner)) {
    const column = /[A-Z]/.test(name) ? snakeCase(name) : name;
    if (!declared.replaces.keyColumns.includes(column)) throw fail(`owner column "${column}" is not a key column`);
    const normalized = toColumnValue(shape.columns[column], value);
    if (normalized === null || normalized === undefined) throw fail(`has no value for owner column "${column}"`);
    owner[column] = normalized;
  }
  if (Object.keys(owner).length === 0) throw fail('names no owner column');
  return { table: declared.replaces, shape, owner, rawIndex };
}

/**
 * Settles a batch's replacements before it is written: rows of a record that a later record of
 * the same batch replaces are dropped from the batch (with the domain rows converted from
 * them), and the rows the lake holds for each owner but the batch no longer yields are looked
 * up, converted to learn their domain rows, and returned for `deleteStaleRows`. Runs outside
 * the transaction (converters may read the lake), after every earlier batch of the stream
 * committed, so what it reads is what the write will find.
 */
export async function settleReplacements(input: {
  replacements: readonly Replacement[];
  tool: BatchRow[];
  domain: BatchRow[];
  reader: StoreWriter;
  provenance: RowProvenance;
  context: ScopeContext<never>;
}): Promise<StaleRows> {
  const { replacements, reader, provenance, context } = input;
  const stale: StaleRows = { tool: new Map(), domain: new Map() };
  // The last declaration of an owner wins: the earlier ones describe older versions of its record.
  const owners = new Map<TableShape, Owners>();
  for (const replacement of replacements) entryOf(owners, replacement.shape, () => new Owners()).declare(replacement);

  const superseded = new Set<Record<string, unknown>>();
  for (const pending of input.tool) {
    const latest = owners.get(pending.shape)?.latestFor(pending.row);
    if (latest && pending.rawIndex < latest.rawIndex) superseded.add(pending.row);
  }
  if (superseded.size > 0) {
    input.tool.splice(0, input.tool.length, ...input.tool.filter((pending) => !superseded.has(pending.row)));
    input.domain.splice(
      0,
      input.domain.length,
      ...input.domain.filter((pending) => !pending.from || !superseded.has(pending.from)),
    );
  }

  const freshTool = identitiesByShape(input.tool);
  const staleToolRows: Array<{ table: ToolTable; row: Record<string, unknown> }> = [];
  for (const [shape, byOwner] of owners) {
    const declared = byOwner.declared();
    const fresh = freshTool.get(shape) ?? new Set<string>();
    for (const row of await readOwnedRows(reader, shape, declared, provenance)) {
      if (fresh.has(identityOf(row, shape.keys))) continue;
      entryOf(stale.tool, shape, () => []).push(pick(row, shape.keys));
      staleToolRows.push({ table: declared[0]!.table, row });
    }
  }

  const freshDomain = identitiesByShape(input.domain);
  for (const { table, row } of staleToolRows) {
    if (!table.convert) continue;
    for (const record of await converted(table, row, context)) {
      if (!isDomainTable(record.table) || !table.produces.includes(record.table)) continue;
      const shape = domainShape(record.table);
      const key = pick(record.row as Record<string, unknown>, shape.keys);
      if (freshDomain.get(shape)?.has(identityOf(key, shape.keys))) continue;
      entryOf(stale.domain, shape, () => []).push(key);
    }
  }
  return stale;
}

/** Deletes what `settleReplacements` found, inside the batch's transaction; returns how many rows went. */
export async function deleteStaleRows(
  writer: StoreWriter,
  stale: StaleRows,
  provenance: RowProvenance,
): Promise<number> {
  let removed = 0;
  const quote = (name: string) => writer.quote(name);
  const deleteKeys = async (shape: TableShape, keys: Record<string, unknown>[], scope: [string, unknown][]) => {
    const columns = shape.keys.filter((name) => !scope.some(([scoped]) => scoped === name));
    for (let start = 0; start < keys.length; start += CHUNK) {
      const chunk = keys.slice(start, start + CHUNK);
      const parameters: unknown[] = scope.map(([, value]) => value);
      const matches = chunk.map((key) => {
        for (const name of columns) parameters.push(writer.dialect.codec.encode(key[name], shape.columns[name]));
        return `(${columns.map((name) => `${quote(name)} = ?`).join(' AND ')})`;
      });
      const result = await writer.execute(
        `DELETE FROM ${quote(shape.name)} WHERE ${scope.map(([name]) => `${quote(name)} = ?`).join(' AND ')} AND (${matches.join(' OR ')})`,
        parameters,
      );
      removed += result.affected;
    }
  };
  for (const [shape, keys] of stale.tool) {
    await deleteKeys(shape, keys, [
      ['connection_id', provenance.connectionId],
      ['_raw_data_params', provenance.rawParams],
      ['_raw_data_table', provenance.rawTable],
    ]);
  }
  for (const [shape, keys] of stale.domain) {
    await deleteKeys(shape, keys, [
      ['_raw_data_params', provenance.rawParams],
      ['_raw_data_table', provenance.rawTable],
    ]);
  }
  return removed;
}

/** The rows the lake holds for these owners, written by this stream for this scope. */
async function readOwnedRows(
  reader: StoreWriter,
  shape: TableShape,
  declared: readonly Replacement[],
  provenance: RowProvenance,
): Promise<Record<string, unknown>[]> {
  const quote = (name: string) => reader.quote(name);
  const rows: Record<string, unknown>[] = [];
  // Declarations of one table may name their owner by different columns: group them.
  const groups = new Map<string, Replacement[]>();
  for (const replacement of declared) {
    const columns = Object.keys(replacement.owner).sort().join(',');
    groups.set(columns, [...(groups.get(columns) ?? []), replacement]);
  }
  for (const [joined, group] of groups) {
    const columns = joined.split(',');
    for (let start = 0; start < group.length; start += CHUNK) {
      const chunk = group.slice(start, start + CHUNK);
      const parameters: unknown[] = [provenance.connectionId, provenance.rawParams, provenance.rawTable];
      const matches = chunk.map((replacement) => {
        for (const name of columns)
          parameters.push(reader.dialect.codec.encode(replacement.owner[name], shape.columns[name]));
        return `(${columns.map((name) => `${quote(name)} = ?`).join(' AND ')})`;
      });
      const result = await reader.execute(
        `SELECT * FROM ${quote(shape.name)} WHERE ${quote('connection_id')} = ? AND ${quote('_raw_data_params')} = ? AND ${quote('_raw_data_table')} = ? AND (${matches.join(' OR ')})`,
        parameters,
      );
      for (const row of result.rows as Record<string, unknown>[]) rows.push(normalizeRow(shape.columns, row));
    }
  }
  return rows;
}

async function converted(
  table: ToolTable,
  row: Record<string, unknown>,
  context: ScopeContext<never>,
): Promise<DomainRecord[]> {
  const records: DomainRecord[] = [];
  try {
    for await (const record of table.convert!(row as never, context as never)) records.push(record);
  } catch (error) {
    throw new LakeError(
      'CONVERT_FAILED',
      `convert of a ${table.entity} row the source no longer has failed: ${messageOf(error)}`,
      { cause: error },
    );
  }
  return records;
}

/** The owners a batch declares for one table, the last declaration of each. */
class Owners {
  /** Owner columns (sorted, joined) → owner identity → its last declaration. */
  readonly #byColumns = new Map<string, Map<string, Replacement>>();

  declare(replacement: Replacement): void {
    const columns = Object.keys(replacement.owner).sort();
    entryOf(this.#byColumns, columns.join(','), () => new Map()).set(
      identityOf(replacement.owner, columns),
      replacement,
    );
  }

  /** The latest declaration naming the owner of `row`, if any. */
  latestFor(row: Readonly<Record<string, unknown>>): Replacement | undefined {
    let latest: Replacement | undefined;
    for (const [joined, byIdentity] of this.#byColumns) {
      const found = byIdentity.get(identityOf(row, joined.split(',')));
      if (found && (!latest || found.rawIndex > latest.rawIndex)) latest = found;
    }
    return latest;
  }

  declared(): Replacement[] {
    return [...this.#byColumns.values()].flatMap((byIdentity) => [...byIdentity.values()]);
  }
}

function identitiesByShape(rows: readonly BatchRow[]): Map<TableShape, Set<string>> {
  const identities = new Map<TableShape, Set<string>>();
  for (const pending of rows)
    entryOf(identities, pending.shape, () => new Set()).add(identityOf(pending.row, pending.shape.keys));
  return identities;
}

function identityOf(row: Readonly<Record<string, unknown>>, columns: readonly string[]): string {
  return columns
    .map((name) => {
      const value = row[name];
      return value instanceof Date
        ? value.toISOString()
        : value === null || value === undefined
          ? '\u0001'
          : String(value);
    })
    .join('\u0000');
}

/** The value a map holds for `key`, created first when it holds none. */
function entryOf<Key, Value>(map: Map<Key, Value>, key: Key, create: () => Value): Value {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

function pick(row: Readonly<Record<string, unknown>>, columns: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((name) => [name, row[name]]));
}
