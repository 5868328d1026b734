import { defineStream, type LakeKysely } from '@lake/sdk';
import { fitToLength } from '../fit-length.js';
import { type GitTypes, scopeNameOf } from '../settings.js';
import { reposTable } from '../tables/repository-table.js';
import { VARCHAR_LENGTH } from '../tables/table-columns.js';

/** One record describing the repository: name, remote, default branch, first and last commit dates. */
export const repositoryStream = defineStream<GitTypes>({
  name: 'repository',
  description: 'The repository: name, remote URL, default branch and its date range',
  // Runs after commits so that its first/last commit dates cover this sync.
  dependsOn: ['commits'],
  tables: [reposTable],
  async *collect(context) {
    const repository = await context.client.repositoryOf(context.scope, context.scopeId);
    await repository.assertRepository();
    const [defaultBranch, headSha, remoteUrl] = await Promise.all([
      context.scope.branch ?? repository.defaultBranch(),
      context.scope.branch ? repository.branchSha(context.scope.branch) : repository.headSha(),
      context.scope.url === undefined ? repository.remoteUrl() : context.scopeId,
    ]);
    yield {
      data: {
        repoId: context.scopeId,
        name: fitToLength(scopeNameOf(context.scope), VARCHAR_LENGTH),
        remoteUrl,
        defaultBranch: fitToLength(defaultBranch ?? '', VARCHAR_LENGTH),
        headSha: headSha ?? '',
        ...(await commitDateRange(context)),
      },
      url: context.scope.url === undefined ? `file://${context.scopeId}` : context.scopeId,
    };
  },
});

/** First and last commit dates of the repository's commits in the lake. */
async function commitDateRange(context: { db: LakeKysely; scopeId: string; ids: { connectionId: number } }) {
  const row = await context.db
    .selectFrom('_tool_git_commits')
    .select((builder) => [builder.fn.min('committed_date').as('first'), builder.fn.max('committed_date').as('last')])
    .where('connection_id', '=', context.ids.connectionId)
    .where('repo_id', '=', context.scopeId)
    .executeTakeFirst();
  return { firstCommitDate: row?.first ?? null, lastCommitDate: row?.last ?? null };
}
