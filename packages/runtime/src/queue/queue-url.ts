import { parseDatabaseUrl } from '@lake/sdk/host';
import { RuntimeError } from '../errors.js';
import type { Manifest } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { resolveReferences } from '../secrets/resolve-references.js';
import { urlSecrets } from '../secrets/secret-redactor.js';

/**
 * lake.yaml's `queue:` resolved: the PostgreSQL URL of the job queue, or undefined when the
 * project runs its syncs in process. `database` means the lake's own database, which must
 * then be PostgreSQL.
 */
export async function resolveQueueUrl(
  paths: ProjectPaths,
  environment: NodeJS.ProcessEnv,
  manifest: Pick<Manifest, 'queue' | 'database'>,
): Promise<string | undefined> {
  return (await resolveQueue(paths, environment, manifest))?.url;
}

/** `resolveQueueUrl`, with the secrets the URL holds: what a worker scrubs from everything it prints. */
export async function resolveQueue(
  paths: ProjectPaths,
  environment: NodeJS.ProcessEnv,
  manifest: Pick<Manifest, 'queue' | 'database'>,
): Promise<{ url: string; secrets: string[] } | undefined> {
  if (manifest.queue === undefined) return undefined;
  const field = manifest.queue === 'database' ? manifest.database : manifest.queue;
  const resolved = await resolveReferences(paths, environment, field, 'queue');
  const url = resolved.value;
  const location = (() => {
    try {
      return parseDatabaseUrl(url, paths.root);
    } catch (error) {
      throw new RuntimeError('MANIFEST_INVALID', `queue: ${(error as Error).message}`, { cause: error });
    }
  })();
  if (location.dialect !== 'postgres') {
    throw new RuntimeError(
      'MANIFEST_INVALID',
      `queue: the job queue needs PostgreSQL (${manifest.queue === 'database' ? 'database: is' : 'got'} a ${location.dialect} URL)`,
    );
  }
  return { url, secrets: urlSecrets(resolved) };
}
