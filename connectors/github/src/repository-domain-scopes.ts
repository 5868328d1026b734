import type { DomainScopeRef, ScopeContext } from '@lake/sdk';
import type { GithubTypes } from './settings.js';

/**
 * The repository's `repos`, `boards` and `cicd_scopes` rows, keyed (like every GitHub domain id)
 * by its numeric GitHub id, which the repository stream stored. Before that stream has ever run
 * for the scope the id is unknown, and the scope reports none.
 */
export async function repositoryDomainScopes(context: ScopeContext<GithubTypes>): Promise<DomainScopeRef[]> {
  // GitHub names are case-insensitive: the scope may say Acme/Shop where the API says acme/shop.
  const wanted = context.scope.fullName.toLowerCase();
  const rows = await context.db
    .selectFrom('_tool_github_repos')
    .select(['github_id', 'full_name'])
    .where('connection_id', '=', context.connection.id)
    .execute();
  const row = rows.find((candidate) => String(candidate.full_name).toLowerCase() === wanted);
  if (!row) return [];
  const id = context.ids.of('GithubRepo', String(row.github_id));
  return [
    { table: 'repos', id },
    { table: 'boards', id },
    { table: 'cicd_scopes', id },
  ];
}
