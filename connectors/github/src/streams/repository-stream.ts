import { defineStream } from '@lake/sdk';
import { type GithubTypes, repositoryPath } from '../settings.js';
import { reposTable } from '../tables/repository-tables.js';

/** The repository: name, owner, language, dates. Every other stream needs its id. */
export const repositoryStream = defineStream<GithubTypes>({
  name: 'repository',
  description: 'The repository (repos, boards, board_repos, cicd_scopes)',
  tables: [reposTable],
  async *collect(context) {
    const response = await context.client.api.get(repositoryPath(context.scope));
    yield { data: response.body, url: response.url };
  },
});
