import { rawTableName, toolTableName } from '../contract/connector-info.js';
import type { ToolTable } from '../contract/tool-table.js';
import { column } from '../domain/columns.js';
import { DOMAIN_TABLES, type DomainTableName, domainKeyColumns, PROVENANCE_COLUMNS } from '../domain/domain-schema.js';
import { CONNECTION_ID_COLUMN, RAW_TABLE_COLUMNS } from '../migrations/table-ddl.js';
import type { TableShape } from '../store/table-shape.js';

/**
 * The `TableShape` (see `store/table-shape.ts`) of each layer's tables: a raw table, a
 * connector's tool table, a domain table. The writer, the sweep and the stale-row pass read
 * tables through these.
 */

const domainShapes = new Map<DomainTableName, TableShape>();

export function domainShape(table: DomainTableName): TableShape {
  let shape = domainShapes.get(table);
  if (!shape) {
    shape = {
      name: table,
      columns: { ...DOMAIN_TABLES[table].columns, ...PROVENANCE_COLUMNS },
      keys: domainKeyColumns(table),
    };
    domainShapes.set(table, shape);
  }
  return shape;
}

export function toolShape(connector: string, table: ToolTable): TableShape {
  return {
    name: toolTableName(connector, table.entity),
    columns: { ...CONNECTION_ID_COLUMN, ...table.databaseColumns, ...PROVENANCE_COLUMNS },
    keys: ['connection_id', ...table.keyColumns],
  };
}

export function rawShape(connector: string, stream: string): TableShape {
  return {
    name: rawTableName(connector, stream),
    columns: { id: { ...column.bigint(), primaryKey: true }, ...RAW_TABLE_COLUMNS },
    keys: ['id'],
  };
}
