import type { ContextInput } from '@lake/testkit';
import { type DatasetSizes, GitlabDataset, PROJECT_PATH } from './fake-gitlab/dataset.js';
import { type FakeGitlab, type FakeGitlabOptions, startFakeGitlab, TOKEN } from './fake-gitlab/fake-gitlab.js';

export interface GitlabFixture {
  dataset: GitlabDataset;
  gitlab: FakeGitlab;
  context: ContextInput;
  close(): Promise<void>;
}

/** A dataset, a fake GitLab serving it, and a context pointing at it (connection id 1, the project by path). */
export async function gitlabFixture(
  sizes: DatasetSizes,
  options: FakeGitlabOptions & {
    scopeConfig?: Record<string, unknown>;
    connection?: Record<string, unknown>;
    project?: string | number;
  } = {},
): Promise<GitlabFixture> {
  const dataset = new GitlabDataset(sizes).finishBuilding();
  const gitlab = await startFakeGitlab(dataset, options);
  return {
    dataset,
    gitlab,
    context: {
      connection: { id: 1, endpoint: gitlab.url, token: TOKEN, ...options.connection },
      scope: { project: options.project ?? PROJECT_PATH },
      scopeConfig: options.scopeConfig ?? {},
    },
    close: () => gitlab.close(),
  };
}
