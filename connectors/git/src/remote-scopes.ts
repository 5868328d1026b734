import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { RemoteScopeEntry, RemoteScopePage, RemoteScopeRequest } from '@lake/sdk';
import { LakeError } from '@lake/sdk';

const PAGE_SIZE = 100;

/**
 * Repositories under the connection's root directory. Directories that are repositories
 * are scopes; other directories are groups (browse into them with `--group <relative path>`).
 * Hidden directories and `node_modules` are not listed.
 */
export async function listRepositories(
  root: string,
  request: RemoteScopeRequest,
): Promise<RemoteScopePage<{ path: string; name: string }>> {
  const base = resolve(root);
  const directory = request.groupId ? resolve(base, request.groupId) : base;
  if (relative(base, directory).startsWith('..')) {
    throw new LakeError('CONFIG_INVALID', `group ${request.groupId} is outside the root ${base}`, { source: 'git' });
  }
  let names: string[];
  try {
    names = (await readdir(directory, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    throw new LakeError('CONNECTION_FAILED', `cannot list ${directory}: ${(error as Error).message}`, {
      source: 'git',
    });
  }
  const offset = request.pageToken ? Number.parseInt(request.pageToken, 10) : 0;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new LakeError('CONFIG_INVALID', `invalid page token "${request.pageToken}"`, { source: 'git' });
  }
  const entries: RemoteScopeEntry<{ path: string; name: string }>[] = [];
  for (const name of names.slice(offset, offset + PAGE_SIZE)) {
    const path = join(directory, name);
    const id = relative(base, path);
    if (await isRepository(path)) entries.push({ kind: 'scope', id, name, scope: { path, name } });
    else entries.push({ kind: 'group', id, name });
  }
  return {
    entries,
    ...(offset + PAGE_SIZE < names.length ? { nextPageToken: String(offset + PAGE_SIZE) } : {}),
  };
}

async function isRepository(path: string): Promise<boolean> {
  const marker = await stat(join(path, '.git')).catch(() => undefined);
  if (marker) return true;
  // A bare repository: HEAD, objects/ and refs/ at the top.
  const [head, objects, refs] = await Promise.all(
    ['HEAD', 'objects', 'refs'].map((name) => stat(join(path, name)).catch(() => undefined)),
  );
  return Boolean(head?.isFile() && objects?.isDirectory() && refs?.isDirectory());
}
