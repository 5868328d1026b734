import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../project/atomic-write.js';
import type { ProjectPaths } from '../project/project-paths.js';

/**
 * How lake.yaml names a scope (`lake sync --scope <id>`: its `id`, or its values joined) and
 * how the connector names it in `_lake_runs` (its own `scope.id()`: a git repository's path
 * where lake.yaml says `id: lake`) may differ. The runtime learns the
 * connector's name from each sync's first event and keeps the pairs here, so `lake status`
 * speaks lake.yaml's names.
 */
type ScopeNameFile = Record<string, Record<string, string>>;

function fileOf(paths: ProjectPaths): string {
  return join(paths.lakeDirectory, 'scope-names.json');
}

function keyOf(connector: string, connectionId: number): string {
  return `${connector}#${connectionId}`;
}

export async function readScopeNames(paths: ProjectPaths): Promise<ScopeNameFile> {
  try {
    const parsed = JSON.parse(await readFile(fileOf(paths), 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as ScopeNameFile) : {};
  } catch {
    return {};
  }
}

/** lake.yaml's id of a scope the connector calls `scopeId`, if a sync has paired them. */
export function manifestScopeId(
  names: ScopeNameFile,
  connector: string,
  connectionId: number,
  scopeId: string,
): string | undefined {
  return names[keyOf(connector, connectionId)]?.[scopeId];
}

let writes: Promise<void> = Promise.resolve();

/** Records that the connector calls lake.yaml's scope `manifestId` `connectorId`. Serialised within a process. */
export function rememberScopeName(
  paths: ProjectPaths,
  connector: string,
  connectionId: number,
  connectorId: string,
  manifestId: string,
): Promise<void> {
  writes = writes.then(async () => {
    const names = await readScopeNames(paths);
    const key = keyOf(connector, connectionId);
    if (names[key]?.[connectorId] === manifestId) return;
    names[key] = { ...names[key], [connectorId]: manifestId };
    await writeFileAtomic(fileOf(paths), `${JSON.stringify(names, null, 2)}\n`).catch(() => {});
  });
  return writes;
}
