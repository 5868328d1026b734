import { fileURLToPath } from 'node:url';
import { syncAgainstServedFake } from '@lake/testkit';
import { describe, expect, it } from 'vitest';
import { GithubDataset } from './fake-github/dataset.js';
import { servedDataset } from './fake-github/serve.js';

describe('the fake GitHub served outside vitest', () => {
  it('serves a dataset the standalone CLI syncs in full, counted from the dataset', async () => {
    const expected = new GithubDataset(servedDataset('small')).domainCounts();
    const served = await syncAgainstServedFake({
      serveModule: fileURLToPath(new URL('./fake-github/serve.ts', import.meta.url)),
      connectorCli: fileURLToPath(new URL('../dist/cli.js', import.meta.url)),
      tables: Object.keys(expected),
    });
    expect(served.code).toBe(0);
    expect(served.result).toMatchObject({ status: 'succeeded' });
    expect(served.context.connection.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(served.rows).toEqual(expected);
  });
});
