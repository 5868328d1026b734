import { sql } from 'kysely';
import { LakeError, messageOf } from '../errors/lake-error.js';
import { killPoint } from '../faults/kill-points.js';
import {
  DEFAULT_DATABASE_URL,
  type DialectName,
  databaseUrlSecrets,
  describeDatabaseUrl,
  parseDatabaseUrl,
} from './database-url.js';
import { DIALECTS } from './dialects/registry.js';
import type { StoreDialect } from './dialects/store-dialect.js';
import type { LakeKysely } from './lake-kysely.js';
import { newWriterCaches, StoreWriter } from './store-writer.js';

/**
 * A Lake database: SQLite (embedded default), PostgreSQL or MySQL/MariaDB behind one API.
 *
 *   const store = await openStore('sqlite:.lake/lake.db');
 *   await store.transaction(async (writer) => writer.upsert(shape, rows));
 *   await store.close();
 */
export class Store {
  readonly db: LakeKysely;
  readonly dialect: StoreDialect;
  /** The URL with any password masked. */
  readonly description: string;
  readonly #writerCaches = newWriterCaches();

  constructor(db: LakeKysely, dialect: StoreDialect, description: string) {
    this.db = db;
    this.dialect = dialect;
    this.description = description;
  }

  get dialectName(): DialectName {
    return this.dialect.name;
  }

  /** A writer outside any transaction (each statement commits on its own). */
  writer(): StoreWriter {
    return new StoreWriter(this.db, this.dialect, this.#writerCaches);
  }

  /** Runs `work` in one transaction: everything it writes commits together or not at all. */
  async transaction<T>(work: (writer: StoreWriter) => Promise<T>): Promise<T> {
    const result = await this.db.transaction().execute(async (transaction) => {
      const value = await work(new StoreWriter(transaction, this.dialect, this.#writerCaches));
      killPoint('transaction: written, not committed');
      return value;
    });
    killPoint('transaction: committed');
    return result;
  }

  tableExists(table: string): Promise<boolean> {
    return this.dialect.introspector.tableExists(this.db, table);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

export interface OpenStoreOptions {
  /** Base directory for relative `sqlite:` paths. Default: the current directory. */
  cwd?: string;
}

export async function openStore(url: string = DEFAULT_DATABASE_URL, options: OpenStoreOptions = {}): Promise<Store> {
  const location = parseDatabaseUrl(url, options.cwd);
  const dialect = await DIALECTS[location.dialect].create(location);
  const description = describeDatabaseUrl(url);
  let db: LakeKysely | undefined;
  try {
    db = dialect.createKysely();
    await sql`select 1`.execute(db);
    await dialect.initialize(db);
  } catch (error) {
    await db?.destroy().catch(() => {});
    throw new LakeError('DATABASE_UNREACHABLE', `cannot open database ${description}: ${reason(error, url)}`, {
      cause: error,
    });
  }
  return new Store(db, dialect, description);
}

/** The driver's reason, with the URL's credentials masked wherever it echoes them. */
function reason(error: unknown, url: string): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0], url);
  const message = messageOf(error);
  let text = describeDatabaseUrl(message || ((error as { code?: string }).code ?? 'unknown error'));
  for (const secret of databaseUrlSecrets(url)) text = text.split(secret).join('[redacted]');
  return text;
}
