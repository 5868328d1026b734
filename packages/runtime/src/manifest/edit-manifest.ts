import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, type Pair, parseDocument, stringify } from 'yaml';
import type { ProjectPaths } from '../project/project-paths.js';
import type { ConnectorRequest } from './manifest-schema.js';

/**
 * `lake.yaml` with one connector's request set (or removed, for `undefined`). Returns the new
 * text; the caller writes it only once the install succeeded.
 */
export async function withConnectorRequest(
  paths: ProjectPaths,
  name: string,
  request: ConnectorRequest | undefined,
): Promise<string> {
  return editConnectorRequest(await readFile(paths.manifest, 'utf8'), name, request);
}

/**
 * Edits the text, not a re-rendering of it: only the line of the connector changes (or is
 * added, or removed), so comments, quoting, flow maps and blank lines everywhere else stay
 * byte for byte as the operator wrote them. (The yaml library's Document keeps comments but
 * re-renders everything else: long flow maps broken over lines, `[org]` as `[ org ]`.)
 */
export function editConnectorRequest(text: string, name: string, request: ConnectorRequest | undefined): string {
  const document = parseDocument(text);
  const connectors = document.get('connectors', true);
  const value = request === undefined ? undefined : inline(request);
  if (!isMap(connectors) || !connectors.range) {
    if (value === undefined) return text;
    // No connectors yet: a new section at the end.
    return `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}connectors:\n  ${inline(name)}: ${value}\n`;
  }
  const pairs = connectors.items.filter(isPair) as Array<Pair<unknown, unknown>>;
  const index = pairs.findIndex((pair) => isScalar(pair.key) && String(pair.key.value) === name);
  if (connectors.flow) {
    // `connectors: { git: shipped }`: the map is one node; it is rewritten, still as one line.
    const entries = pairs
      .map((pair) => [String((pair.key as { value: unknown }).value), pair.value] as const)
      .filter(([key]) => key !== name)
      .map(([key, item]) => `${inline(key)}: ${item === null ? '' : nodeText(text, item)}`);
    if (value !== undefined) {
      const at = index === -1 ? entries.length : index;
      entries.splice(at, 0, `${inline(name)}: ${value}`);
    }
    const [start, end] = connectors.range;
    return `${text.slice(0, start)}{ ${entries.join(', ')} }${text.slice(end)}`;
  }
  const pair = pairs[index];
  if (pair) {
    const keyStart = (pair.key as { range: [number, number, number] }).range[0];
    const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
    const valueNode = pair.value as { range?: [number, number, number] } | null;
    const valueEnd = valueNode?.range?.[1] ?? (pair.key as { range: [number, number, number] }).range[1];
    const lineEnd = endOfLine(text, valueEnd);
    if (value === undefined) return text.slice(0, lineStart) + text.slice(lineEnd);
    if (valueNode?.range && !text.slice(valueNode.range[0], valueNode.range[1]).includes('\n')) {
      return text.slice(0, valueNode.range[0]) + value + text.slice(valueNode.range[1]);
    }
    // A value over several lines: the pair becomes one line.
    const indent = text.slice(lineStart, keyStart);
    return `${text.slice(0, lineStart)}${indent}${inline(name)}: ${value}\n${text.slice(lineEnd)}`;
  }
  if (value === undefined) return text;
  const last = pairs.at(-1);
  if (!last) {
    const [start, end] = connectors.range;
    return `${text.slice(0, start)}\n  ${inline(name)}: ${value}\n${text.slice(end)}`;
  }
  const lastKeyStart = (last.key as { range: [number, number, number] }).range[0];
  const indent = text.slice(text.lastIndexOf('\n', lastKeyStart - 1) + 1, lastKeyStart);
  const lastEnd = (last.value as { range?: [number, number, number] } | null)?.range?.[1] ?? lastKeyStart;
  const insertAt = endOfLine(text, lastEnd);
  const newline = insertAt === text.length && !text.endsWith('\n') ? '\n' : '';
  return `${text.slice(0, insertAt)}${newline}${indent}${inline(name)}: ${value}\n${text.slice(insertAt)}`;
}

/** A value as one line of YAML: `^0.2.0`, `"1.0"`, `{ path: ../mine, allowUnsigned: true }`. */
function inline(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
}

function nodeText(text: string, node: unknown): string {
  const range = (node as { range?: [number, number, number] }).range;
  return range ? text.slice(range[0], range[1]) : inline(node);
}

/** The offset just after the newline ending the line that holds `offset` (or the text's end). */
function endOfLine(text: string, offset: number): number {
  const newline = text.indexOf('\n', Math.max(offset - 1, 0));
  return newline === -1 ? text.length : newline + 1;
}
