import type { ScratchDatabase } from '../../testing/scratch-database.js';
import type { DialectName } from './registry.js';
import type { StoreDialect } from './store-dialect.js';

/** Where a database is, as `parseDatabaseUrl` found it. */
export interface DatabaseLocation {
  dialect: DialectName;
  /** A server's URL as its driver takes it (the scheme normalised); undefined for an embedded database. */
  url?: string;
  /** An embedded database's file (absolute) or `:memory:`; undefined for a server. */
  path?: string;
}

/**
 * One dialect, as the registry knows it: which URLs are its, how to open it, and how tests get
 * a throwaway database of it. Each dialect folder exports one (`<name>/index.ts`).
 */
export interface DialectFactory {
  /** URL schemes (lower case, with the colon) this dialect answers to: `['postgres:', 'postgresql:']`. */
  readonly schemes: readonly string[];
  /** How its URLs look, for the message that lists the accepted ones: `postgres://…`. */
  readonly example: string;
  /** The location of a URL with one of `schemes`, or why the URL is invalid. */
  locate(url: string, cwd: string): Omit<DatabaseLocation, 'dialect'> | string;
  /**
   * The dialect of a located database; it connects on `createKysely()`. Loaded on demand:
   * reading a URL (`parseDatabaseUrl`, which `@lake/sdk/host` offers) must not load drivers.
   */
  create(location: Omit<DatabaseLocation, 'dialect'>): Promise<StoreDialect>;
  /** How database tests get a throwaway database of this dialect. */
  readonly testing: DialectTesting;
}

export interface DialectTesting {
  /** The variable with the test server's URL (`LAKE_TEST_PG_URL`); undefined for an embedded dialect, which always runs. */
  readonly environmentVariable: string | undefined;
  /** Creates the empty database `name` (on the server at `serverUrl`, when there is one). */
  createScratchDatabase(name: string, serverUrl: string | undefined): Promise<Omit<ScratchDatabase, 'dialect'>>;
}
