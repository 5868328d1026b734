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
import { throwEverythingAt } from '../../../connectors/github/test/fake-github/fault-plan.ts';

const issues = Number(process.argv[2] ?? 100_000);
const latencyMs = Number(process.argv[3] ?? 1);
const faults = process.argv[4] === 'faults';
const dataset = new GithubDataset({
  sizes: { issues, pullRequests: 20, commentsPerIssue: 0, commits: 20, workflowRuns: 4, deployments: 2 },
});
const github = await startFakeGithub(dataset, faults ? { tokens: { ghp_valid: 'alice', ghp_expiring: 'bob' } } : {});
github.api.latencyMs = latencyMs;
if (faults) throwEverythingAt(github.api);
process.stdout.write(
  `${JSON.stringify({ url: github.url, fullName: dataset.fullName, tokens: faults ? ['ghp_valid', 'ghp_expiring'] : ['ghp_valid'] })}\n`,
);
