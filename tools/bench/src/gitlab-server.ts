/**
 * Fake GitLabs of the connector's tests, one per project, in their own process. Prints
 * {"urls": […]} once listening, and answers `GET <url>/__requests` with how many requests all
 * of them served.
 *   node --import ./typescript-sources.ts gitlab-server.ts <projects> <merge requests> <latencyMs>
 */
import { GitlabDataset } from '../../../connectors/gitlab/test/fake-gitlab/dataset.ts';
import { type FakeGitlab, startFakeGitlab } from '../../../connectors/gitlab/test/fake-gitlab/fake-gitlab.ts';

const projects = Number(process.argv[2] ?? 100);
const mergeRequests = Number(process.argv[3] ?? 1_000);
const latencyMs = Number(process.argv[4] ?? 50);
const fakes: FakeGitlab[] = [];
for (let index = 0; index < projects; index += 1) {
  const dataset = new GitlabDataset({
    mergeRequests,
    issues: 0,
    commits: 20,
    pipelines: 10,
    deployments: 2,
    notesPerMergeRequest: 2,
    commitsPerMergeRequest: 2,
  }).finishBuilding();
  const fake = await startFakeGitlab(dataset);
  fake.api.latencyMs = latencyMs;
  fakes.push(fake);
}
const served = () => fakes.reduce((sum, fake) => sum + fake.api.stats.requests, 0);
for (const fake of fakes) fake.api.route('GET', '/api/v4/__requests', () => ({ body: { requests: served() } }));
process.stdout.write(`${JSON.stringify({ urls: fakes.map((fake) => fake.url) })}\n`);
