import semver from 'semver';
import { z } from 'zod';
import { parsePublicKey } from '../trust/trusted-keys.js';

/** A connector's short name: `git` for `@lake/connector-git`. */
export const CONNECTOR_NAME = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;
/** Connection, scope and schedule names: letters, digits, `.`, `_`, `-`, `/`. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

export const DEFAULT_DATABASE_URL = 'sqlite:.lake/lake.db';
export const DEFAULT_UPSTREAM_REGISTRY = 'https://registry.npmjs.org/';
export const DEFAULT_SYNC_CONCURRENCY = 2;

const registryUrl = z
  .string()
  .url('expected a URL such as http://127.0.0.1:4873/')
  .transform((url) => (url.endsWith('/') ? url : `${url}/`));

const range = z.string().refine((value) => semver.validRange(value) !== null, {
  message: 'expected a semver version or range (0.1.0, ^0.1.0, ~1.2)',
});

/** A trusted key: an ed25519 public key, or a reference to one (checked once resolved, at install). */
const publicKey = z
  .string()
  .min(1)
  .superRefine((text, context) => {
    if (text.includes('${')) return;
    try {
      parsePublicKey(text);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

/**
 * How a connector is wanted:
 * - `shipped`: the version this runtime release ships (moves with `lake upgrade`);
 * - a version or range (`0.1.0`, `^0.2.0`): a user pin, kept across upgrades;
 * - `{ version, allowDowngrade }`: a pin below the shipped version, accepted on purpose;
 * - `{ path }` / `{ tarball }`: a custom connector from a directory or a packed tarball;
 *   `allowUnsigned: true` lets it run when `trust.keys` require signed connectors.
 */
export const connectorRequestSchema = z.union([
  z.literal('shipped'),
  range,
  z.strictObject({
    version: z.union([z.literal('shipped'), range]),
    allowDowngrade: z.boolean().optional(),
  }),
  z.strictObject({ path: z.string().min(1), allowUnsigned: z.boolean().optional() }),
  z.strictObject({ tarball: z.string().min(1), allowUnsigned: z.boolean().optional() }),
]);

export const scopeEntrySchema = z.strictObject({
  /** How `lake sync --scope` names it; default: the scope's values joined with `/`. */
  id: z.string().regex(NAME, 'letters, digits, . _ - / only').optional(),
  scope: z.record(z.string(), z.unknown()),
  config: z.record(z.string(), z.unknown()).default({}),
});

export const connectionSchema = z.strictObject({
  name: z.string().regex(NAME, 'letters, digits, . _ - / only'),
  connector: z.string().regex(CONNECTOR_NAME, 'a connector name such as git or github'),
  /** DevLake's connection id: part of every domain id this connection writes, so it must never change. */
  id: z.number().int().positive().max(2_147_483_647),
  settings: z.record(z.string(), z.unknown()).default({}),
  scopes: z.array(scopeEntrySchema).min(1, 'a connection needs at least one scope'),
  options: z
    .strictObject({
      batchSize: z.number().int().min(1).max(100_000).optional(),
      concurrency: z.number().int().min(1).max(64).optional(),
    })
    .optional(),
});

export const scheduleSchema = z.strictObject({
  name: z.string().regex(NAME, 'letters, digits, . _ - / only').optional(),
  /** Five fields (minute hour day month weekday) or six with seconds first. */
  cron: z.string().min(1),
  /** Connections to sync; default all. */
  connections: z.array(z.string()).min(1).optional(),
  full: z.boolean().default(false),
  timezone: z.string().optional(),
});

/** A scope of a project: a connection of this manifest and one of its scopes' ids. */
export const projectScopeSchema = z.strictObject({
  connection: z.string().regex(NAME, 'letters, digits, . _ - / only'),
  scope: z.string().min(1),
});

/**
 * A project (DevLake's): the scopes whose rows metrics read together. `lake sync` writes its
 * `projects` and `project_mapping` rows, then runs its metrics (default: every metric listed
 * under `metrics`).
 */
export const projectSchema = z.strictObject({
  description: z.string().optional(),
  scopes: z.array(projectScopeSchema).min(1, 'a project needs at least one scope'),
  metrics: z.array(z.string().regex(CONNECTOR_NAME, 'a metric name such as dora')).optional(),
});

export const manifestSchema = z.strictObject({
  registry: z
    .strictObject({
      /** Where `@lake/*` packages come from; default `$LAKE_REGISTRY_URL`, else http://127.0.0.1:4873/. */
      url: registryUrl.optional(),
      /** Read token; `${ENV_VAR}` or `${secret:name}`, never the token itself. */
      token: z.string().optional(),
      /** Where every other package comes from. Set it to `url` when the private registry proxies the public one. */
      upstream: registryUrl.default(DEFAULT_UPSTREAM_REGISTRY),
    })
    .optional(),
  database: z
    .string()
    .min(1)
    .refine(supportedDatabaseUrl, {
      message: 'expected sqlite:<path>, postgres://…, postgresql://…, mysql://… or mariadb://… (or a reference to one)',
    })
    .default(DEFAULT_DATABASE_URL),
  /**
   * Public keys (ed25519; base64 of the DER, or PEM) whose signatures `lake install` accepts
   * on `@lake/*` packages. Listed: every such package must be signed by one of them.
   */
  trust: z.strictObject({ keys: z.array(publicKey).min(1, 'list at least one public key') }).optional(),
  connectors: z.record(z.string().regex(CONNECTOR_NAME, 'a connector name such as git'), connectorRequestSchema),
  /** Metric packages, requested like connectors: `dora: shipped` is `@lake/metrics-dora`. */
  metrics: z.record(z.string().regex(CONNECTOR_NAME, 'a metric name such as dora'), connectorRequestSchema).default({}),
  connections: z.array(connectionSchema).default([]),
  projects: z.record(z.string().regex(NAME, 'letters, digits, . _ - / only'), projectSchema).default({}),
  schedules: z.array(scheduleSchema).default([]),
  /**
   * Scale-out: `postgres://…` (or `database`, the lake's own PostgreSQL) holds a pg-boss job
   * queue; `lake sync` and `lake schedule` then enqueue one job per scope and `lake worker`
   * processes run them. Absent: syncs run in the `lake sync` process, as always.
   */
  queue: z
    .string()
    .min(1)
    .refine((url) => url === 'database' || url.startsWith('${') || /^postgres(ql)?:\/\/.+/.test(url), {
      message:
        'expected postgres://…, postgresql://…, `database` (the lake database, when it is PostgreSQL) or a reference to one',
    })
    .optional(),
  sync: z
    .strictObject({ concurrency: z.number().int().min(1).max(64).default(DEFAULT_SYNC_CONCURRENCY) })
    .default({ concurrency: DEFAULT_SYNC_CONCURRENCY }),
});

export type ConnectorRequest = z.output<typeof connectorRequestSchema>;
export type ScopeEntry = z.output<typeof scopeEntrySchema>;
export type ConnectionEntry = z.output<typeof connectionSchema>;
export type ScheduleEntry = z.output<typeof scheduleSchema>;
export type ProjectEntry = z.output<typeof projectSchema>;
export type Manifest = z.output<typeof manifestSchema>;

/**
 * The schemes the SDK's stores speak. Checked when lake.yaml is read, so `oracle://…` is
 * refused there rather than at the first sync; a URL that starts with a reference
 * (`${DATABASE_URL}`) is checked once resolved.
 */
export function supportedDatabaseUrl(url: string): boolean {
  if (url.startsWith('${')) return true;
  return /^(sqlite:.+|(postgres|postgresql|mysql|mariadb):\/\/.+)$/.test(url);
}

export { describeRequest, type NormalizedRequest, normalizeRequest, scopeIdOf } from './requests.js';
