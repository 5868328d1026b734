import { z } from 'zod';
import type { Connector } from '../contract/define-connector.js';
import { ConfigError, type FieldIssue, fieldIssuesFromZod } from '../errors/config-error.js';

/** Options a context may carry besides connection, scope and scope config. */
export const syncOptionsSchema = z
  .object({
    batchSize: z.number().int().min(1).max(100_000).default(500).describe('Raw records per transaction'),
    concurrency: z.number().int().min(1).max(64).default(8).describe('Parents a substream collects at once'),
  })
  .strict();

export type SyncOptions = z.output<typeof syncOptionsSchema>;

/** The parsed context: what a connector's hooks receive. */
export interface ValidatedContext {
  connection: { id: number } & Record<string, unknown>;
  scope: Record<string, unknown>;
  scopeConfig: Record<string, unknown>;
  options: SyncOptions;
}

export type ContextPart = 'connection' | 'scope' | 'scopeConfig';

/**
 * Parses a context `{ connection, scope, scopeConfig, options }` against the connector's
 * schemas. Unknown keys are errors (a misspelt setting must not be silently ignored), and
 * every bad field of every part is reported at once.
 *
 * Only the parts in `required` must be present: `test-connection` needs just the connection.
 */
export function validateContext(
  connector: Connector,
  input: unknown,
  required: readonly ContextPart[] = ['connection', 'scope', 'scopeConfig'],
): ValidatedContext {
  const issues: FieldIssue[] = [];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError('context', [{ path: '', message: 'expected a JSON object' }], connector.name);
  }
  const record = input as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    if (!['connection', 'scope', 'scopeConfig', 'options'].includes(name)) {
      issues.push({ path: name, message: 'unknown key (expected connection, scope, scopeConfig, options)' });
    }
  }
  const parse = <T>(part: string, schema: z.ZodType, value: unknown, fallback: T): T => {
    const result = schema.safeParse(value);
    if (result.success) return result.data as T;
    issues.push(...fieldIssuesFromZod(result.error, part));
    return fallback;
  };
  const strict = (schema: z.ZodObject) => schema.strict();
  const partOrDefault = (part: ContextPart) =>
    record[part] === undefined && !required.includes(part) ? (part === 'connection' ? { id: 1 } : {}) : record[part];

  const connection = parse('connection', strict(connector.connectionWithId), partOrDefault('connection'), { id: 0 });
  const scope =
    required.includes('scope') || record.scope !== undefined
      ? parse('scope', strict(connector.scope.schema), record.scope, {})
      : {};
  const scopeConfig = parse('scopeConfig', strict(connector.scopeConfig), record.scopeConfig ?? {}, {});
  const options = parse('options', syncOptionsSchema, record.options ?? {}, syncOptionsSchema.parse({}));

  if (issues.length === 0 && (required.includes('scope') || record.scope !== undefined)) {
    const scopeId = connector.scope.id(scope as never);
    if (scopeId.length === 0 || scopeId.length > 200) {
      issues.push({ path: 'scope', message: `scope id must be 1 to 200 characters (got ${scopeId.length})` });
    }
  }
  if (issues.length > 0) throw new ConfigError('context', issues, connector.name);
  return { connection: connection as ValidatedContext['connection'], scope, scopeConfig, options };
}
