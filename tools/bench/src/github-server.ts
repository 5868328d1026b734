/**
 * The fake GitHub of the connector's tests, serving one repository with `issues` issues, in
 * its own process. Prints {"url": …} once listening.
 *   node --import ./typescript-sources.ts github-server.ts <issues> <latencyMs>
 */
import { GithubDataset } from '../../../connectors/github/test/fake-github/dataset.ts';
import { startFakeGithub } from '../../../connectors/github/test/fake-github/fake-github.ts';

const issues = Number(process.argv[2] ?? 100_000);
const latencyMs = Number(process.argv[3] ?? 1);
const dataset = new GithubDataset({
  sizes: { issues, pullRequests: 20, commentsPerIssue: 0, commits: 20, workflowRuns: 4, deployments: 2 },
});
const github = await startFakeGithub(dataset);
github.api.latencyMs = latencyMs;
process.stdout.write(`${JSON.stringify({ url: github.url, fullName: dataset.fullName })}\n`);
