import { parseDatabaseUrl } from '@lake/sdk/host';
import { RuntimeError } from '../errors.js';
import type { Manifest } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { resolveReferences } from '../secrets/resolve-references.js';

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
  if (manifest.queue === undefined) return undefined;
  const field = manifest.queue === 'database' ? manifest.database : manifest.queue;
  const url = (await resolveReferences(paths, environment, field, 'queue')).value;
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
  return url;
}
