import { column, defineToolTable, domainRecord, key, nullable, refId } from '@lake/sdk';
import { fitToLength } from '../fit-length.js';
import { type GitTypes, repoDomainIdOf } from '../settings.js';
import { REF_ID_LENGTH, repoKey, VARCHAR_LENGTH } from './table-columns.js';

/**
 * Refs, keyed by the SHA-256 of their full name: git puts no limit on a ref name's length,
 * so the names themselves are text (migration 0002).
 */
export const refsTable = defineToolTable<GitTypes>()({
  entity: 'refs',
  columns: {
    repoId: repoKey,
    fullNameHash: key(column.varchar(64)),
    fullName: column.text(),
    name: column.text(),
    kind: column.varchar(20),
    commitSha: column.varchar(40),
    isDefault: column.bool(),
    refDate: nullable(column.datetime()),
  },
  produces: ['refs'],
  *convert(row, context) {
    const repoDomainId = repoDomainIdOf(context);
    // DevLake's refs.name is varchar(255) and refs.id (`<repos.id>:<name>`) varchar(500).
    const name = fitToLength(String(row.name), Math.min(VARCHAR_LENGTH, REF_ID_LENGTH - repoDomainId.length - 1));
    yield domainRecord('refs', {
      id: refId(repoDomainId, name),
      repo_id: repoDomainId,
      name,
      commit_sha: String(row.commit_sha),
      is_default: Boolean(row.is_default),
      ref_type: row.kind === 'tag' ? 'TAG' : 'BRANCH',
      created_date: row.ref_date,
    });
  },
});
