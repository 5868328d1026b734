import { createHash } from 'node:crypto';
import { defineStream } from '@lake/sdk';
import type { GitTypes } from '../settings.js';
import { refsTable } from '../tables/ref-table.js';

/**
 * Branches, tags and remote-tracking branches. Re-read in full every sync, so deleted refs
 * disappear. Names follow DevLake: branches short (`main`, `origin/main`), tags full (`refs/tags/v1.0`).
 */
export const refsStream = defineStream<GitTypes>({
  name: 'refs',
  description: 'Branches, tags and remote-tracking branches',
  tables: [refsTable],
  async *collect(context) {
    const repository = await context.client.repositoryOf(context.scope, context.scopeId);
    const [refs, defaultBranch] = await Promise.all([
      repository.refs(),
      context.scope.branch ?? repository.defaultBranch(),
    ]);
    for (const ref of refs) {
      const name =
        ref.kind === 'branch'
          ? ref.fullName.slice('refs/heads/'.length)
          : ref.kind === 'remote'
            ? ref.fullName.slice('refs/remotes/'.length)
            : ref.fullName;
      yield {
        data: {
          repoId: context.scopeId,
          fullNameHash: createHash('sha256').update(ref.fullName).digest('hex'),
          fullName: ref.fullName,
          name,
          kind: ref.kind,
          commitSha: ref.commitSha,
          isDefault: ref.kind === 'branch' && name === defaultBranch,
          refDate: ref.date || null,
        },
      };
    }
  },
});
