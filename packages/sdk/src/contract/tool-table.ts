import type { ColumnReadValue, ColumnSpec } from '../domain/columns.js';
import { snakeCase } from '../domain/columns.js';
import type { DomainRecord, DomainTableName } from '../domain/domain-schema.js';
import { LakeError } from '../errors/lake-error.js';
import type { ConnectorTypes, ConvertContext } from './context.js';

/**
 * A tool-table column: a portable column spec plus, for the default extractor, where its
 * value is in the raw record (a JSON Pointer, RFC 6901; default `/<property name>`).
 */
export interface ToolColumnSpec extends ColumnSpec {
  readonly source?: string;
}

export type ToolColumns = Readonly<Record<string, ToolColumnSpec>>;

/** `authorName` → `author_name`, at the type level (one underscore per capital, like `snakeCase`). */
export type SnakeCase<Name extends string> = Name extends `${infer Head}${infer Tail}`
  ? Head extends Lowercase<Head>
    ? `${Head}${SnakeCase<Tail>}`
    : `_${Lowercase<Head>}${SnakeCase<Tail>}`
  : Name;

/** Provenance and connection columns every tool row has once it is written. */
export interface ToolRowProvenance extends ConvertRowProvenance {
  _raw_data_id: number;
}

/**
 * Provenance columns a tool row has while it is converted. `_raw_data_id` is not among them:
 * the raw row is written after convert has run, so its id is not known yet, and an id built
 * from it would be the same for every record.
 */
export interface ConvertRowProvenance {
  connection_id: number;
  created_at: Date;
  updated_at: Date;
  _raw_data_params: string;
  _raw_data_table: string;
  _raw_data_remark: string;
}

type ToolRowColumns<Columns extends ToolColumns> = {
  [Name in keyof Columns & string as SnakeCase<Name>]: ColumnReadValue<Columns[Name]>;
};

/** A tool row as substreams see it (read back from its table): snake_case columns, values in JavaScript types. */
export type ToolRow<Columns extends ToolColumns> = ToolRowColumns<Columns> & ToolRowProvenance;

/** A tool row as `convert` sees it: a `ToolRow` without `_raw_data_id`, which is not known while converting. */
export type ConvertRow<Columns extends ToolColumns> = ToolRowColumns<Columns> & ConvertRowProvenance;

export interface ToolTableDefinition<Types extends ConnectorTypes, Columns extends ToolColumns> {
  /** Entity name, snake_case and plural by convention: the table is `_tool_<connector>_<entity>`. */
  entity: string;
  /** Columns by property name; mark the entity's key with `key()`. `connection_id` is added as the first key. */
  columns: Columns;
  /** Domain tables `convert` writes; rows for any other table are refused. */
  produces?: readonly DomainTableName[];
  /** Turns one tool row into domain rows. */
  convert?(
    row: ConvertRow<Columns>,
    context: ConvertContext<Types>,
  ): Iterable<DomainRecord> | AsyncIterable<DomainRecord>;
}

export interface ToolTable<Types extends ConnectorTypes = ConnectorTypes, Columns extends ToolColumns = ToolColumns>
  extends ToolTableDefinition<Types, Columns> {
  readonly kind: 'tool-table';
  /** Database column name → spec (snake_case), without connection and provenance columns. */
  readonly databaseColumns: Readonly<Record<string, ToolColumnSpec>>;
  /** Database key columns, without `connection_id`. */
  readonly keyColumns: readonly string[];
  readonly produces: readonly DomainTableName[];
}

const ENTITY_NAME = /^[a-z][a-z0-9_]*$/;
/** Columns the SDK owns in every tool table. */
const RESERVED_COLUMNS = new Set([
  'connection_id',
  'created_at',
  'updated_at',
  '_raw_data_params',
  '_raw_data_table',
  '_raw_data_id',
  '_raw_data_remark',
]);

/**
 * Declares a tool table.
 *
 *   export const commitsTable = defineToolTable<GitTypes>()({
 *     entity: 'commits',
 *     columns: { sha: key(column.varchar(40)), authorName: { ...column.varchar(), source: '/author/name' } },
 *     produces: ['commits'],
 *     *convert(row) { yield domainRecord('commits', { sha: row.sha!, author_name: row.author_name ?? '' }); },
 *   });
 *
 * (Curried so the connector's types are given while the columns are still inferred.)
 */
export function defineToolTable<Types extends ConnectorTypes>() {
  return <const Columns extends ToolColumns>(
    definition: ToolTableDefinition<Types, Columns>,
  ): ToolTable<Types, Columns> => {
    if (!ENTITY_NAME.test(definition.entity)) {
      throw new LakeError('CONNECTOR_INVALID', `tool table entity "${definition.entity}" must match ${ENTITY_NAME}`);
    }
    const databaseColumns: Record<string, ToolColumnSpec> = {};
    for (const [property, spec] of Object.entries(definition.columns)) {
      databaseColumns[snakeCase(property)] = spec;
    }
    const reserved = Object.keys(databaseColumns).filter((name) => RESERVED_COLUMNS.has(name));
    if (reserved.length > 0) {
      throw new LakeError(
        'CONNECTOR_INVALID',
        `tool table "${definition.entity}" declares ${reserved.join(', ')}, which the SDK reserves for provenance; name it after its meaning (e.g. issueUpdatedAt with source '/updated_at')`,
      );
    }
    const keyColumns = Object.entries(databaseColumns)
      .filter(([, spec]) => spec.primaryKey)
      .map(([name]) => name);
    if (keyColumns.length === 0) {
      throw new LakeError(
        'CONNECTOR_INVALID',
        `tool table "${definition.entity}" declares no key column (wrap one in key())`,
      );
    }
    if (definition.convert && (definition.produces ?? []).length === 0) {
      throw new LakeError(
        'CONNECTOR_INVALID',
        `tool table "${definition.entity}" converts but declares no "produces" tables`,
      );
    }
    return { ...definition, kind: 'tool-table', databaseColumns, keyColumns, produces: definition.produces ?? [] };
  };
}
