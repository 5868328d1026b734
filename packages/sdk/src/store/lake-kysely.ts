import type { Kysely } from 'kysely';

/**
 * Kysely over tables whose names are only known at run time (`_tool_<connector>_<entity>`,
 * domain tables chosen by data). Typed queries are built on top where the schema is static.
 */
// biome-ignore lint/suspicious/noExplicitAny: table names are dynamic; rows are validated by the writer instead.
export type LakeKysely = Kysely<any>;
