import type { DomainScopeRef, ScopeContext } from '@lake/sdk';
import type { GitlabTypes } from './settings.js';

/**
 * The project's `repos`, `boards` and `cicd_scopes` rows, keyed (like every GitLab domain id) by
 * its numeric id, which the project stream stored. The scope names the project by id or by path
 * (paths are case-insensitive on GitLab); before the project stream has run the scope reports none.
 */
export async function projectDomainScopes(context: ScopeContext<GitlabTypes>): Promise<DomainScopeRef[]> {
  const wanted = String(context.scope.project).toLowerCase();
  const rows = await context.db
    .selectFrom('_tool_gitlab_projects')
    .select(['gitlab_id', 'path_with_namespace'])
    .where('connection_id', '=', context.connection.id)
    .execute();
  const row = rows.find(
    (candidate) =>
      String(candidate.gitlab_id) === wanted || String(candidate.path_with_namespace).toLowerCase() === wanted,
  );
  if (!row) return [];
  const id = context.ids.of('GitlabProject', String(row.gitlab_id));
  return [
    { table: 'repos', id },
    { table: 'boards', id },
    { table: 'cicd_scopes', id },
  ];
}
