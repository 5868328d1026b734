import { defineStream } from '@lake/sdk';
import { type GitlabTypes, projectPath } from '../settings.js';
import { projectsTable } from '../tables/project-tables.js';

/** The project: name, path, default branch, dates. Every other stream needs its numeric id. */
export const projectStream = defineStream<GitlabTypes>({
  name: 'project',
  description: 'The project (repos, boards, board_repos, cicd_scopes)',
  tables: [projectsTable],
  async *collect(context) {
    const response = await context.client.api.get(projectPath(context.scope));
    yield { data: response.body, url: response.url };
  },
});
