import { column, defineToolTable, domainRecord, key, nullable } from '@lake/sdk';
import type { GitlabTypes } from '../settings.js';

export const projectsTable = defineToolTable<GitlabTypes>()({
  entity: 'projects',
  columns: {
    gitlabId: { ...key(column.bigint()), source: '/id' },
    name: column.varchar(),
    pathWithNamespace: { ...column.varchar(), source: '/path_with_namespace' },
    webUrl: { ...column.varchar(), source: '/web_url' },
    description: column.text(),
    defaultBranch: { ...column.varchar(), source: '/default_branch' },
    forkedFrom: { ...column.varchar(), source: '/forked_from_project/path_with_namespace' },
    projectCreatedAt: { ...nullable(column.datetime()), source: '/created_at' },
    lastActivityAt: { ...nullable(column.datetime()), source: '/last_activity_at' },
  },
  produces: ['repos', 'boards', 'board_repos', 'cicd_scopes'],
  *convert(row, context) {
    // DevLake gives the project's repo, board and CI/CD scope one id.
    const id = context.ids.of('GitlabProject', row.gitlab_id!);
    const name = String(row.path_with_namespace);
    const url = String(row.web_url);
    yield domainRecord('repos', {
      id,
      name,
      url,
      description: row.description,
      forked_from: row.forked_from,
      created_date: row.project_created_at,
      updated_date: row.last_activity_at,
    });
    yield domainRecord('boards', {
      id,
      name,
      url: `${url}/-/issues`,
      description: row.description,
      created_date: row.project_created_at,
    });
    yield domainRecord('board_repos', { board_id: id, repo_id: id });
    yield domainRecord('cicd_scopes', {
      id,
      name,
      url,
      description: row.description,
      created_date: row.project_created_at,
      updated_date: row.last_activity_at,
    });
  },
});
