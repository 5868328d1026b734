import type { MigrationList } from '@lake/sdk';
import { createToolTables } from './0001-create-tool-tables.js';
import { keyRefsByNameHash } from './0002-key-refs-by-name-hash.js';
import { remoteUrlsWithoutCredentials } from './0003-remote-urls-without-credentials.js';

export const migrations: MigrationList = {
  '0001-create-tool-tables': createToolTables,
  '0002-key-refs-by-name-hash': keyRefsByNameHash,
  '0003-remote-urls-without-credentials': remoteUrlsWithoutCredentials,
};
