import { z } from 'zod';
import { interpolate } from '../manifest/interpolate.js';
import { formatPath } from '../manifest/load-manifest.js';
import type { Manifest } from '../manifest/manifest-schema.js';
import { connectionPath } from '../run/connection-context.js';
import type { ConnectorSchemas } from './connector-schemas.js';

/** A setting that does not fit the connector's schema, named by its lake.yaml path. */
export interface SettingsIssue {
  /** `connections[0].settings.tokens` */
  path: string;
  message: string;
  /** The same path as a list, for finding its line. */
  at: Array<string | number>;
}

type Part = 'connection' | 'scope' | 'scopeConfig';

/**
 * Checks one connection of lake.yaml — its settings and each scope's values and config —
 * against its installed connector's JSON Schemas, the way the connector will parse its
 * context: unknown keys are errors, a misspelt setting is never silently ignored. References
 * are resolved where they can be (`lookup`); one that cannot keeps its `${…}` text, which
 * fits wherever a string does.
 */
export function connectionSettingsIssues(
  manifest: Manifest,
  connectionIndex: number,
  schemas: ConnectorSchemas,
  lookup: (reference: string) => string | undefined,
): SettingsIssue[] {
  const connection = manifest.connections[connectionIndex]!;
  const issues: SettingsIssue[] = [];
  const resolve = <T>(value: T): T =>
    interpolate(value, (reference) => lookup(reference) ?? `\${${reference}}`, connectionPath(connectionIndex)).value;
  const base: Array<string | number> = ['connections', connectionIndex];
  issues.push(
    ...partIssues('connection', schemas.connection, { id: connection.id, ...resolve(connection.settings) }, (key) =>
      key === 'id' ? [...base, 'id'] : [...base, 'settings', key],
    ),
  );
  connection.scopes.forEach((scope, scopeIndex) => {
    const at: Array<string | number> = [...base, 'scopes', scopeIndex];
    issues.push(...partIssues('scope', schemas.scope, resolve(scope.scope), (key) => [...at, 'scope', key]));
    issues.push(
      ...partIssues('scopeConfig', schemas.scopeConfig, resolve(scope.config), (key) => [...at, 'config', key]),
    );
  });
  return issues;
}

function partIssues(
  part: Part,
  schema: Record<string, unknown>,
  value: Record<string, unknown>,
  pathOf: (key: string) => Array<string | number>,
): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  const add = (at: Array<string | number>, message: string) => issues.push({ path: formatPath(at), message, at });
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const known = Object.keys(properties).filter((key) => part !== 'connection' || key !== 'id');
  for (const key of Object.keys(value)) {
    if (!(key in properties)) {
      add(pathOf(key), `unknown key (${known.length > 0 ? `expected ${known.join(', ')}` : 'none are expected'})`);
    }
  }
  let validator: z.ZodType;
  try {
    validator = z.fromJSONSchema(schema as never);
  } catch {
    // A schema zod cannot read is the connector's business; the connector still checks at sync.
    return issues;
  }
  const result = validator.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [first, ...rest] = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
      const at = first === undefined ? pathOf('').slice(0, -1) : [...pathOf(String(first)), ...rest];
      add(at, /received undefined$/.test(issue.message) ? 'required' : issue.message.replace(/^Invalid input: /, ''));
    }
  }
  return issues;
}
