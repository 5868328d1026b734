import type { ContextInput } from '@lake/testkit';
import { type DatasetSizes, GithubDataset, type GithubDatasetOptions } from './fake-github/dataset.js';
import { type FakeGithub, type FakeGithubOptions, startFakeGithub } from './fake-github/fake-github.js';

export interface GithubFixture {
  dataset: GithubDataset;
  github: FakeGithub;
  context: ContextInput;
  close(): Promise<void>;
}

/** A dataset, a fake GitHub serving it, and a context pointing at it (connection id 1, token ghp_valid). */
export async function githubFixture(
  sizes: DatasetSizes,
  options: FakeGithubOptions & {
    tokens?: Record<string, string>;
    scopeConfig?: Record<string, unknown>;
    connection?: Record<string, unknown>;
    /** Dataset options besides its sizes (its start, the runs still going, …). */
    dataset?: Omit<GithubDatasetOptions, 'sizes'>;
  } = {},
): Promise<GithubFixture> {
  const dataset = new GithubDataset({ ...options.dataset, sizes });
  const github = await startFakeGithub(dataset, options);
  return {
    dataset,
    github,
    context: {
      connection: {
        id: 1,
        endpoint: github.url,
        tokens: Object.keys(options.tokens ?? { ghp_valid: 'alice' }),
        ...options.connection,
      },
      scope: { fullName: dataset.fullName },
      scopeConfig: options.scopeConfig ?? {},
    },
    close: () => github.close(),
  };
}
