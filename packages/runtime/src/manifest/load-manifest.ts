import { Cron } from 'croner';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { RuntimeError } from '../errors.js';
import { parseMemoized } from '../project/parse-memo.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { readManifestText } from './manifest-cache.js';
import { type Manifest, manifestSchema, scopeIdOf } from './manifest-schema.js';

export interface ManifestIssue {
  /** `connections[0].id` */
  path: string;
  message: string;
  /** 1-based line in lake.yaml, when the field is there. */
  line?: number;
}

/** Reads and validates `lake.yaml`; every bad field is named at once, with its line. */
export async function loadManifest(paths: ProjectPaths): Promise<Manifest> {
  return parseMemoized(paths.manifest, await readManifestText(paths), (text) => parseManifest(text, paths.manifest));
}

export function parseManifest(text: string, file = 'lake.yaml'): Manifest {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => ({
      path: '(yaml)',
      message: error.message.split('\n')[0] ?? error.message,
      line: lineCounter.linePos(error.pos[0]).line,
    }));
    throw manifestError(file, issues);
  }
  const lineOf = lineFinder(document, lineCounter);
  const raw = document.toJS() ?? {};
  if (!isMap(document.contents) && !(document.contents === null || isScalar(document.contents))) {
    throw manifestError(file, [{ path: '(root)', message: 'expected a mapping of settings', line: 1 }]);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw manifestError(file, zodIssues(parsed.error, lineOf));
  const issues = semanticIssues(parsed.data);
  if (issues.length > 0) {
    throw manifestError(
      file,
      issues.map((issue) => ({ ...issue.issue, line: lineOf(issue.at) })),
    );
  }
  return parsed.data;
}

type LineOf = (path: readonly PropertyKey[]) => number | undefined;

function lineFinder(document: ReturnType<typeof parseDocument>, lineCounter: LineCounter): LineOf {
  const lineOf: LineOf = (path) => {
    const node = document.getIn(path as unknown[], true) as { range?: [number, number, number] } | undefined;
    const offset = node?.range?.[0];
    if (offset !== undefined) return lineCounter.linePos(offset).line;
    // A missing field: point at its parent.
    return path.length > 0 ? lineOf(path.slice(0, -1)) : undefined;
  };
  return lineOf;
}

/** Where a field is in lake.yaml's text (1-based line; its parent's when it is missing), for messages. */
export function manifestLines(text: string): LineOf {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  return lineFinder(document, lineCounter);
}

function zodIssues(error: z.ZodError, lineOf: (path: readonly PropertyKey[]) => number | undefined): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  for (const issue of error.issues) {
    // A union failing on every branch: report what the branches said, not just "invalid input".
    const nested = (issue as { errors?: z.core.$ZodIssue[][] }).errors;
    const message =
      issue.code === 'invalid_union' && nested && nested.length > 0
        ? unionMessage(nested)
        : issue.code === 'unrecognized_keys'
          ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`
          : issue.message;
    issues.push({ path: formatPath(issue.path), message, line: lineOf(issue.path) });
  }
  return issues;
}

function unionMessage(branches: z.core.$ZodIssue[][]): string {
  const messages = new Set<string>();
  for (const branch of branches) for (const issue of branch) messages.add(issue.message);
  return [...messages].join(', or ');
}

interface LocatedIssue {
  at: PropertyKey[];
  issue: ManifestIssue;
}

function semanticIssues(manifest: Manifest): LocatedIssue[] {
  const issues: LocatedIssue[] = [];
  const add = (at: PropertyKey[], message: string) => issues.push({ at, issue: { path: formatPath(at), message } });
  const names = new Set<string>();
  const ids = new Map<string, string>();
  manifest.connections.forEach((connection, index) => {
    if (names.has(connection.name)) add(['connections', index, 'name'], `duplicate connection "${connection.name}"`);
    names.add(connection.name);
    if (!(connection.connector in manifest.connectors)) {
      add(
        ['connections', index, 'connector'],
        `connector "${connection.connector}" is not listed under connectors (add it with \`lake add ${connection.connector}\`)`,
      );
    }
    const idKey = `${connection.connector}:${connection.id}`;
    const holder = ids.get(idKey);
    if (holder)
      add(
        ['connections', index, 'id'],
        `id ${connection.id} is already used by ${connection.connector} connection "${holder}"`,
      );
    else ids.set(idKey, connection.name);
    const scopeIds = new Set<string>();
    connection.scopes.forEach((scope, scopeIndex) => {
      const id = scopeIdOf(scope);
      if (scopeIds.has(id)) add(['connections', index, 'scopes', scopeIndex], `duplicate scope "${id}"`);
      scopeIds.add(id);
    });
  });
  for (const [projectName, project] of Object.entries(manifest.projects)) {
    project.scopes.forEach((reference, index) => {
      const connection = manifest.connections.find((entry) => entry.name === reference.connection);
      if (!connection) {
        add(['projects', projectName, 'scopes', index, 'connection'], `no connection named "${reference.connection}"`);
      } else if (!connection.scopes.some((scope) => scopeIdOf(scope) === reference.scope)) {
        const known = connection.scopes.map((scope) => `"${scopeIdOf(scope)}"`).join(', ');
        add(
          ['projects', projectName, 'scopes', index, 'scope'],
          `connection "${reference.connection}" has no scope "${reference.scope}" (its scopes: ${known})`,
        );
      }
    });
    for (const [index, metric] of (project.metrics ?? []).entries()) {
      if (!(metric in manifest.metrics))
        add(
          ['projects', projectName, 'metrics', index],
          `metric "${metric}" is not listed under metrics (add \`${metric}: shipped\` there)`,
        );
    }
  }
  manifest.schedules.forEach((schedule, index) => {
    try {
      new Cron(schedule.cron, { paused: true, ...(schedule.timezone ? { timezone: schedule.timezone } : {}) }).stop();
    } catch (error) {
      add(['schedules', index, 'cron'], `invalid cron expression "${schedule.cron}": ${(error as Error).message}`);
    }
    for (const [position, name] of (schedule.connections ?? []).entries()) {
      if (!names.has(name)) add(['schedules', index, 'connections', position], `no connection named "${name}"`);
    }
  });
  return issues;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text || '(root)';
}

function manifestError(file: string, issues: ManifestIssue[]): RuntimeError {
  const lines = issues.map((issue) => `  ${issue.line ? `line ${issue.line}: ` : ''}${issue.path}: ${issue.message}`);
  return new RuntimeError('MANIFEST_INVALID', `${file} is invalid:\n${lines.join('\n')}`, { details: { issues } });
}
