import type { ConformanceOptions } from '@lake/testkit';
import { jiraConnector } from '../src/index.js';
import { expectedDomainCounts, jiraDataset } from './fake-jira/dataset.js';
import { CLOUD_API_TOKEN, connectionFor, DATA_CENTER_TOKEN, startFakeJira } from './fake-jira/fake-jira.js';

/**
 * The conformance suite's options for Jira Cloud (basic auth, token-paged search, bulk
 * changelogs) or Data Center (bearer token, `startAt` search, per-issue changelogs).
 */
export function jiraConformance(
  deployment: 'Cloud' | 'DataCenter',
  dialects: ConformanceOptions['dialects'],
): ConformanceOptions {
  const revoked = deployment === 'Cloud' ? 'ATATT3x-revoked-0000' : 'NjQ-revoked-personal-token-0000';
  return {
    connector: jiraConnector,
    cli: new URL('../dist/cli.js', import.meta.url),
    dialects,
    async setup({ size }) {
      // Pages of 100 issues: 1 page small, 4 large; every 25th issue has more histories than the search returns inline.
      const fake = await startFakeJira(
        jiraDataset({ issues: size === 'large' ? 380 : 60, longChangelogs: { every: 25, histories: 130 } }),
        { deployment },
      );
      const connection = connectionFor(fake);
      const failingAuth =
        connection.auth.type === 'basic'
          ? { ...connection.auth, apiToken: revoked }
          : { ...connection.auth, token: revoked };
      return {
        context: { connection, scope: { boardId: 8 }, scopeConfig: { storyPointField: 'customfield_10016' } },
        failingConnection: { ...connection, auth: failingAuth },
        secrets: [CLOUD_API_TOKEN, DATA_CENTER_TOKEN, revoked],
        // Counted from the fake's dataset, never from the connector.
        expectedCounts: () => expectedDomainCounts(fake.dataset),
        mutate: (round) => fake.mutate(round),
        remove: () => fake.remove(),
        makeTies: () => fake.makeTies(),
        api: fake.api,
        teardown: () => fake.api.close(),
      };
    },
    futureState: () => ({ issues: { cursor: '2999-01-01T00:00:00.000Z' } }),
  };
}
