import type { MigrationList } from '@lake/sdk';
import { createToolTables } from './0001-create-tool-tables.js';
import { createNotesEnvironmentsApprovers } from './0002-notes-environments-approvers.js';
import { createCommitParents } from './0003-commit-parents.js';

/** Applied in id order, each once per database; never edit one that has shipped — add the next. */
export const migrations: MigrationList = {
  '0001-create-tool-tables': createToolTables,
  '0002-notes-environments-approvers': createNotesEnvironmentsApprovers,
  '0003-commit-parents': createCommitParents,
};
