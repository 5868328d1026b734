import { column, defineToolTable, domainRecord, key, nullable } from '@lake/sdk';
import type { GithubTypes } from '../settings.js';

export const reposTable = defineToolTable<GithubTypes>()({
  entity: 'repos',
  columns: {
    githubId: { ...key(column.bigint()), source: '/id' },
    name: column.varchar(),
    fullName: { ...column.varchar(), source: '/full_name' },
    htmlUrl: { ...column.varchar(), source: '/html_url' },
    description: column.text(),
    ownerId: { ...column.bigint(), source: '/owner/id' },
    ownerLogin: { ...column.varchar(), source: '/owner/login' },
    language: column.varchar(),
    parentFullName: { ...column.varchar(), source: '/parent/full_name' },
    defaultBranch: { ...column.varchar(), source: '/default_branch' },
    isFork: { ...column.bool(), source: '/fork' },
    repoCreatedAt: { ...nullable(column.datetime()), source: '/created_at' },
    repoUpdatedAt: { ...nullable(column.datetime()), source: '/updated_at' },
  },
  produces: ['repos', 'boards', 'board_repos', 'cicd_scopes'],
  *convert(row, context) {
    // DevLake gives the repository, its board and its CI/CD scope the same id.
    const id = context.ids.of('GithubRepo', row.github_id!);
    const name = String(row.full_name);
    const url = String(row.html_url);
    const description = row.description;
    yield domainRecord('repos', {
      id,
      name,
      url,
      description,
      owner_id: context.ids.of('GithubAccount', row.owner_id!),
      language: row.language,
      forked_from: row.parent_full_name,
      created_date: row.repo_created_at,
      updated_date: row.repo_updated_at,
    });
    yield domainRecord('boards', { id, name, url: `${url}/issues`, description, created_date: row.repo_created_at });
    yield domainRecord('board_repos', { board_id: id, repo_id: id });
    yield domainRecord('cicd_scopes', {
      id,
      name,
      url,
      description,
      created_date: row.repo_created_at,
      updated_date: row.repo_updated_at,
    });
  },
});
