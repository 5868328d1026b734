import { column, key } from '@lake/sdk';

/** The repository's key column, shared by every tool table of a repository. */
export const repoKey = key(column.varchar(255));
/** Length of DevLake's `varchar(255)` columns, and of `refs.id` (`varchar(500)`). */
export const VARCHAR_LENGTH = 255;
export const REF_ID_LENGTH = 500;
