import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { ProjectPaths } from '../project/project-paths.js';
import type { ConnectorRequest } from './manifest-schema.js';

/**
 * `lake.yaml` with one connector's request set (or removed, for `undefined`), comments and
 * layout kept. Returns the new text; the caller writes it only once the install succeeded.
 */
export async function withConnectorRequest(
  paths: ProjectPaths,
  name: string,
  request: ConnectorRequest | undefined,
): Promise<string> {
  const document = parseDocument(await readFile(paths.manifest, 'utf8'));
  if (request === undefined) document.deleteIn(['connectors', name]);
  else if (document.hasIn(['connectors'])) document.setIn(['connectors', name], request);
  else document.set('connectors', document.createNode({ [name]: request }));
  return document.toString();
}
