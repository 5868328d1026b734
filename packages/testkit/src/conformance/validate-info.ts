import { type Connector, SECRET_SCHEMA_KEYWORD } from '@lake/sdk';
import { type ConnectorInfo, connectorInfo } from '@lake/sdk/testing';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under ESM its function sits on `default`, as the types say too.
const addFormats = addFormatsModule.default;

/**
 * Checks what `info` publishes: the three schemas are valid JSON Schema 2020-12, secret
 * fields are marked, and (when given) a context validates against them. Returns the
 * problems found; an empty list means valid.
 */
export function validateConnectorInfo(
  connector: Connector,
  context?: { connection: unknown; scope: unknown; scopeConfig?: unknown },
): string[] {
  const info: ConnectorInfo = connectorInfo(connector, '0.0.0');
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addKeyword(SECRET_SCHEMA_KEYWORD);
  const problems: string[] = [];
  for (const [part, schema] of Object.entries(info.schemas)) {
    if (!ajv.validateSchema(schema)) {
      problems.push(`${part} schema is not valid JSON Schema 2020-12: ${ajv.errorsText(ajv.errors)}`);
      continue;
    }
    const root = schema as { type?: string };
    if (root.type !== 'object') problems.push(`${part} schema must describe an object`);
    const value = context?.[part as 'connection' | 'scope' | 'scopeConfig'];
    if (value !== undefined) {
      const validate = ajv.compile(schema);
      if (!validate(value))
        problems.push(`the fixture's ${part} does not match its schema: ${ajv.errorsText(validate.errors)}`);
    }
  }
  for (const path of secretPaths(info.schemas.connection)) {
    const property = path.split('.').pop()!;
    if (!/(token|secret|password|key|credential)/i.test(property)) continue;
    const marked = secretFlag(info.schemas.connection, path);
    if (!marked) problems.push(`connection.${path} looks like a secret but is not declared with secret()`);
  }
  if (info.streams.length === 0) problems.push('the connector declares no streams');
  if (!/^\d+\.\d+\.\d+$/.test(info.contract.version))
    problems.push(`contract version ${info.contract.version} is not semver`);
  return problems;
}

function secretPaths(schema: object, prefix = ''): string[] {
  const properties = (schema as { properties?: Record<string, object> }).properties ?? {};
  return Object.entries(properties).flatMap(([name, child]) => [
    `${prefix}${name}`,
    ...secretPaths(child, `${prefix}${name}.`),
  ]);
}

function secretFlag(schema: object, path: string): boolean {
  let node: unknown = schema;
  for (const part of path.split('.')) node = (node as { properties?: Record<string, unknown> }).properties?.[part];
  return Boolean((node as Record<string, unknown> | undefined)?.[SECRET_SCHEMA_KEYWORD]);
}
