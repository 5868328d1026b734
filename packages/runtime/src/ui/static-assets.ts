import { access, readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/**
 * The console's built files: `dist/console/` beside the runtime's bundle once built, the
 * console package's own `dist/` when the runtime runs from its sources (tests).
 */
export async function findConsoleAssets(): Promise<string | undefined> {
  for (const candidate of ['./console/', '../../../console/dist/']) {
    const directory = fileURLToPath(new URL(candidate, import.meta.url));
    if (
      await access(join(directory, 'index.html')).then(
        () => true,
        () => false,
      )
    )
      return directory;
  }
  return undefined;
}

/** A file of the assets directory for a request path (`/` is index.html); undefined outside it or missing. */
export async function readAsset(
  directory: string,
  pathname: string,
): Promise<{ body: Buffer; type: string } | undefined> {
  const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  const file = normalize(join(directory, relative));
  if (!file.startsWith(directory.endsWith(sep) ? directory : directory + sep)) return undefined;
  const body = await readFile(file).catch(() => undefined);
  return body ? { body, type: TYPES[extname(file)] ?? 'application/octet-stream' } : undefined;
}
