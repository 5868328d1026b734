import { randomBytes } from 'node:crypto';
import { DIALECT_NAMES, DIALECTS, type DialectName } from '../store/dialects/registry.js';

/** A throwaway database: a SQLite file, or a fresh PostgreSQL / MySQL database on the test servers. */
export interface ScratchDatabase {
  dialect: DialectName;
  url: string;
  drop(): Promise<void>;
}

/**
 * The dialects database tests loop over: every registered one whose test server is set
 * (`LAKE_TEST_PG_URL`, `LAKE_TEST_MYSQL_URL`; SQLite needs none, so always). With `CI=true` a
 * missing URL is an error, not a skip: CI must prove them all.
 *
 *   describe.each(testDialects())('store on %s', (dialect) => { … });
 */
export function testDialects(environment: NodeJS.ProcessEnv = process.env): DialectName[] {
  const dialects: DialectName[] = [];
  for (const dialect of DIALECT_NAMES) {
    const variable = DIALECTS[dialect].testing.environmentVariable;
    if (variable === undefined || environment[variable]) {
      dialects.push(dialect);
    } else if (environment.CI === 'true') {
      throw new Error(
        `[lake] ${variable} is not set; CI runs every database suite on ${dialect} too (see DEVELOPERS.md)`,
      );
    } else {
      process.emitWarning(`${variable} is not set: skipping the ${dialect} variant of database tests`, {
        code: 'LAKE_TEST',
      });
    }
  }
  return dialects;
}

/** Creates an empty database of `dialect`; `drop()` removes it. */
export async function createScratchDatabase(dialect: DialectName, environment = process.env): Promise<ScratchDatabase> {
  const name = `lake_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const { testing } = DIALECTS[dialect];
  const serverUrl = testing.environmentVariable === undefined ? undefined : environment[testing.environmentVariable];
  if (testing.environmentVariable !== undefined && !serverUrl)
    throw new Error(`[lake] ${testing.environmentVariable} is not set`);
  return { dialect, ...(await testing.createScratchDatabase(name, serverUrl)) };
}
