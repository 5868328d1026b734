/**
 * The fake GitHub of the connector's tests, serving one repository with `issues` issues, in
 * its own process. Prints {"url": …} once listening.
 *   node --import ./typescript-sources.ts github-server.ts <issues> <latencyMs> [faults]
 * With `faults`, the server throws at the sync what the connector's faults test does (a
 * per-token quota, a 502 burst, a secondary rate limit, a reset and a truncated body, a
 * second token that expires): the scenario of the memory figure "issues through faults".
 */
import { GithubDataset } from '../../../connectors/github/test/fake-github/dataset.ts';
import { startFakeGithub } from '../../../connectors/github/test/fake-github/fake-github.ts';

const issues = Number(process.argv[2] ?? 100_000);
const latencyMs = Number(process.argv[3] ?? 1);
const faults = process.argv[4] === 'faults';
const dataset = new GithubDataset({
  sizes: { issues, pullRequests: 20, commentsPerIssue: 0, commits: 20, workflowRuns: 4, deployments: 2 },
});
const github = await startFakeGithub(dataset, faults ? { tokens: { ghp_valid: 'alice', ghp_expiring: 'bob' } } : {});
github.api.latencyMs = latencyMs;
if (faults) {
  const { api } = github;
  api.rateLimit({ limit: 40, windowMs: 1500 });
  api.fault({ match: { path: /\/issues$/ }, after: 10, times: 4, kind: { type: 'status', status: 502 } });
  api.fault({
    match: { path: /\/issues$/ },
    after: 30,
    kind: { type: 'rate-limit', status: 403, retryAfterSeconds: 1 },
  });
  api.fault({ match: { path: /\/issues$/ }, after: 50, kind: { type: 'reset' } });
  api.fault({ match: { path: /\/issues$/ }, after: 70, kind: { type: 'truncate' } });
  let expiringUses = 0;
  api.requireToken((token) => token !== 'ghp_expiring' || ++expiringUses <= 25);
}
process.stdout.write(
  `${JSON.stringify({ url: github.url, fullName: dataset.fullName, tokens: faults ? ['ghp_valid', 'ghp_expiring'] : ['ghp_valid'] })}\n`,
);
