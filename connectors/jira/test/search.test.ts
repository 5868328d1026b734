import { createTestLake } from '@lake/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { jiraConnector } from '../src/index.js';
import { jiraDataset } from './fake-jira/dataset.js';
import { connectionFor, type Deployment, startFakeJira } from './fake-jira/fake-jira.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function setup(deployment: Deployment, issues = 250) {
  const fake = await startFakeJira(jiraDataset({ issues }), { deployment });
  const lake = await createTestLake({ connector: jiraConnector });
  closers.push(
    () => fake.api.close(),
    () => lake.close(),
  );
  return { fake, lake, context: { connection: connectionFor(fake), scope: { boardId: 8 } } };
}

const params = (query: string) => new URLSearchParams(query);

describe('the issue search', () => {
  it('on Jira Cloud pages the board filter through /rest/api/3/search/jql by nextPageToken until isLast', async () => {
    const { fake, lake, context } = await setup('Cloud');
    await lake.syncOrThrow(context);
    expect(await lake.count('issues')).toBe(250);
    const pages = fake.api.requestsTo('/rest/api/3/search/jql');
    // 250 issues, 100 a page: three pages, the second and third asked by the token the one before gave.
    expect(pages.map((request) => request.status)).toEqual([200, 200, 200]);
    expect(pages.map((request) => params(request.query).get('nextPageToken'))).toEqual([
      null,
      Buffer.from('100').toString('base64url'),
      Buffer.from('200').toString('base64url'),
    ]);
    expect(params(pages[0]!.query).get('jql')).toBe('filter = 10000 ORDER BY updated ASC');
    expect(params(pages[0]!.query).get('fields')).toBe('*all');
    expect(fake.api.requestsTo(/\/rest\/api\/2\/search$|\/board\/8\/issue$/)).toHaveLength(0);
    // The board's filter is looked up once per sync.
    expect(fake.api.requestsTo('/rest/agile/1.0/board/8/configuration')).toHaveLength(1);
  });

  it('on Jira Data Center pages /rest/api/2/search by startAt', async () => {
    const { fake, lake, context } = await setup('DataCenter');
    await lake.syncOrThrow(context);
    expect(await lake.count('issues')).toBe(250);
    const pages = fake.api.requestsTo('/rest/api/2/search');
    expect(pages.map((request) => params(request.query).get('startAt')).sort()).toEqual(['0', '100', '200']);
    expect(fake.api.requestsTo('/rest/api/3/search/jql')).toHaveLength(0);
  });
});
