import { createDomainIds } from '@lake/sdk';
import { createTestLake, type TestLake } from '@lake/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubConnector } from '../src/index.js';
import { type GithubFixture, githubFixture } from './fixture.js';

const minutes = (from: unknown, to: unknown) =>
  Math.floor((new Date(String(to)).getTime() - new Date(String(from)).getTime()) / 60_000);

describe('a GitHub repository in the lake', () => {
  let fixture: GithubFixture;
  let lake: TestLake;
  let firstSync: Awaited<ReturnType<TestLake['syncOrThrow']>>;
  const repoId = () => `github:GithubRepo:1:${fixture.dataset.repoId}`;

  beforeAll(async () => {
    fixture = await githubFixture(
      { issues: 60, pullRequests: 30, commits: 25, workflowRuns: 8, jobsPerRun: 2, deployments: 4 },
      {
        scopeConfig: {
          issuePriority: '^priority/(.*)$',
          issueSeverity: '^severity/(.*)$',
          issueComponent: '^component/(.*)$',
        },
      },
    );
    lake = await createTestLake({ connector: githubConnector });
    firstSync = await lake.syncOrThrow(fixture.context);
  });
  afterAll(async () => {
    await lake.close();
    await fixture.close();
  });

  it('reports the scope as the repository rows it wrote, by GitHub id, whatever case the scope was written in', async () => {
    const rows = [
      { table: 'repos', id: repoId() },
      { table: 'boards', id: repoId() },
      { table: 'cicd_scopes', id: repoId() },
    ];
    expect(firstSync.domainScopes).toEqual(rows);
    expect(await lake.count('repos', { id: repoId() })).toBe(1);
    expect(await lake.count('cicd_scopes', { id: repoId() })).toBe(1);
    const shouted = { ...fixture.context, scope: { fullName: fixture.dataset.fullName.toUpperCase() } };
    const context = { ...shouted, db: lake.store.db, ids: createDomainIds('github', 1), connection: { id: 1 } };
    expect(await githubConnector.domainScopes(context as never)).toEqual(rows);
    expect(await githubConnector.domainScopes({ ...context, scope: { fullName: 'acme/elsewhere' } } as never)).toEqual(
      [],
    );
  });

  it('fills every domain table, each record exactly once', async () => {
    const counts = fixture.dataset.counts();
    expect(await lake.count('repos')).toBe(1);
    expect(await lake.count('boards')).toBe(1);
    expect(await lake.count('board_repos')).toBe(1);
    expect(await lake.count('cicd_scopes')).toBe(1);
    expect(await lake.count('issues')).toBe(counts.issues);
    expect(await lake.count('board_issues', { board_id: repoId() })).toBe(counts.issues);
    expect(await lake.count('issue_comments')).toBe(counts.issueComments);
    expect(await lake.count('pull_requests')).toBe(counts.pullRequests);
    expect(await lake.count('pull_request_commits')).toBe(counts.prCommits);
    expect(await lake.count('pull_request_comments', { type: 'NORMAL' })).toBe(counts.prConversationComments);
    expect(await lake.count('pull_request_comments', { type: 'REVIEW' })).toBe(counts.reviews);
    expect(await lake.count('pull_request_comments', { type: 'DIFF' })).toBe(counts.reviewComments);
    expect(await lake.count('commits')).toBe(counts.commits);
    expect(await lake.count('repo_commits', { repo_id: repoId() })).toBe(counts.commits);
    expect(await lake.count('cicd_pipelines')).toBe(counts.runs);
    expect(await lake.count('cicd_pipeline_commits')).toBe(counts.runs);
    expect(await lake.count('cicd_tasks')).toBe(counts.jobs);
    expect(await lake.count('cicd_deployments')).toBe(counts.deployments);
    expect(await lake.count('cicd_deployment_commits')).toBe(counts.deployments);
    for (const table of [
      'issue_labels',
      'issue_assignees',
      'pull_request_labels',
      'pull_request_reviewers',
      'accounts',
    ]) {
      expect(await lake.count(table), table).toBeGreaterThan(0);
    }
    expect(await lake.count('_raw_github_issues')).toBe(counts.issues);
    const params = await lake.rows('issues');
    expect(new Set(params.map((row) => row._raw_data_params))).toEqual(
      new Set([`{"ConnectionId":1,"Name":"${fixture.dataset.fullName}"}`]),
    );
    expect(new Set(params.map((row) => row._raw_data_table))).toEqual(new Set(['_raw_github_issues']));
  });

  it('maps issues as DevLake does: closed is DONE with its resolution date and lead time; labels give type and priority', async () => {
    const issues = await lake.rows('issues');
    const closed = issues.filter((issue) => issue.original_status === 'closed');
    const open = issues.filter((issue) => issue.original_status === 'open');
    expect(closed.length).toBeGreaterThan(5);
    for (const issue of closed) {
      expect(issue.status).toBe('DONE');
      expect(issue.resolution_date).not.toBeNull();
      expect(Number(issue.lead_time_minutes)).toBe(minutes(issue.created_date, issue.resolution_date));
    }
    for (const issue of open) {
      expect(issue.status).toBe('TODO');
      expect(issue.resolution_date).toBeNull();
      expect(issue.lead_time_minutes).toBeNull();
    }
    const labelsOf = async (id: unknown) =>
      (await lake.rows('issue_labels', { issue_id: id })).map((row) => String(row.label_name));
    for (const issue of issues) {
      const labels = await labelsOf(issue.id);
      const expectedType = labels.some((label) => /(feat|feature|proposal|requirement)/i.test(label))
        ? 'REQUIREMENT'
        : labels.some((label) => /(bug|broken)/i.test(label))
          ? 'BUG'
          : labels.some((label) => /(incident|failure)/i.test(label))
            ? 'INCIDENT'
            : '';
      expect(issue.type, `type of ${String(issue.issue_key)} with ${labels.join(',')}`).toBe(expectedType);
      const priority = labels.find((label) => label.startsWith('priority/'));
      expect(issue.priority).toBe(priority ? priority.slice('priority/'.length) : '');
      const severity = labels.find((label) => label.startsWith('severity/'));
      expect(issue.severity).toBe(severity ? severity.slice('severity/'.length) : '');
    }
    expect(issues.some((issue) => issue.type === 'BUG') && issues.some((issue) => issue.priority !== '')).toBe(true);
    const sample = issues[0]!;
    expect(String(sample.id)).toMatch(/^github:GithubIssue:1:\d+$/);
    expect(String(sample.creator_id)).toMatch(/^github:GithubAccount:1:\d+$/);
  });

  it('keeps pull requests out of issues, and maps their status: merged, closed or open', async () => {
    const keys = new Set((await lake.rows('issues')).map((issue) => Number(issue.issue_key)));
    for (const number of fixture.dataset.pullRequestNumbers()) expect(keys.has(number)).toBe(false);
    const pulls = await lake.rows('pull_requests');
    const statuses = new Set(pulls.map((pull) => pull.status));
    expect(statuses).toEqual(new Set(['MERGED', 'CLOSED', 'OPEN']));
    for (const pull of pulls) {
      if (pull.status === 'MERGED') expect(pull.merged_date).not.toBeNull();
      if (pull.status === 'CLOSED') expect(pull.merged_date).toBeNull();
      expect(pull.base_repo_id).toBe(repoId());
      expect(String(pull.id)).toMatch(/^github:GithubPullRequest:1:\d+$/);
    }
  });

  it('maps workflow runs, jobs and deployments to CI/CD with DevLake’s results and ids', async () => {
    const pipelines = await lake.rows('cicd_pipelines');
    for (const pipeline of pipelines) {
      expect(String(pipeline.id)).toMatch(new RegExp(`^github:GithubRun:1:${fixture.dataset.repoId}:\\d+$`));
      expect(pipeline.cicd_scope_id).toBe(repoId());
      const expectedResult =
        pipeline.original_result === 'success'
          ? 'SUCCESS'
          : ['failure', 'cancelled', 'timed_out'].includes(String(pipeline.original_result))
            ? 'FAILURE'
            : '';
      expect(pipeline.result).toBe(expectedResult);
      expect(pipeline.status).toBe(pipeline.original_status === 'completed' ? 'DONE' : 'IN_PROGRESS');
      const deployment = /deploy/i.test(String(pipeline.name));
      expect(pipeline.type).toBe(deployment ? 'DEPLOYMENT' : '');
      expect(pipeline.environment).toBe(deployment && /prod/i.test(String(pipeline.name)) ? 'PRODUCTION' : '');
    }
    const tasks = await lake.rows('cicd_tasks');
    const pipelineIds = new Set(pipelines.map((pipeline) => pipeline.id));
    for (const task of tasks) expect(pipelineIds.has(task.pipeline_id)).toBe(true);
    const deployments = await lake.rows('cicd_deployments');
    expect(new Set(deployments.map((deployment) => deployment.id)).size).toBe(fixture.dataset.counts().deployments);
    for (const deployment of deployments) expect(String(deployment.id)).toMatch(/^github:GithubDeployment:1:\d+$/);
    const deploymentCommits = await lake.rows('cicd_deployment_commits');
    for (const commit of deploymentCommits) {
      expect(String(commit.commit_sha)).toMatch(/^[0-9a-f]{40}$/);
      expect(commit.cicd_deployment_id).toBe(commit.id);
      expect(['PRODUCTION', 'STAGING']).toContain(commit.environment);
      expect(commit.repo_url).toMatch(/^https:\/\//);
    }
    // A deployment GitHub retired (`inactive`, superseded by a newer success) still succeeded.
    const endings = fixture.dataset.deployments.map((deployment) => deployment.statuses.map((status) => status.state));
    const retired = fixture.dataset.deployments.filter(
      (deployment) => deployment.statuses.at(-1)?.state === 'inactive',
    );
    expect(retired.length, JSON.stringify(endings)).toBeGreaterThan(0);
    for (const deployment of fixture.dataset.deployments) {
      const row = deploymentCommits.find((commit) => commit.id === `github:GithubDeployment:1:${deployment.id}`);
      const ended = deployment.statuses.filter((status) => status.state !== 'inactive').at(-1)!;
      expect(row?.result, JSON.stringify(deployment.statuses)).toBe(
        ended.state === 'success' ? 'SUCCESS' : ended.state === 'failure' ? 'FAILURE' : '',
      );
      expect(new Date(String(row?.finished_date)).getTime()).toBe(
        ended.state === 'in_progress' ? Number.NaN : ended.createdAt,
      );
    }
  });

  it('a second sync fetches only what changed', async () => {
    const { dataset, github } = fixture;
    dataset.touchIssue(dataset.issueNumbers()[3]!, { state: 'closed' });
    dataset.touchIssue(dataset.issueNumbers()[7]!, { title: 'Renamed' });
    dataset.addIssueComment(dataset.issueNumbers()[9]!, 'late comment');
    dataset.touchPullRequest(dataset.pullRequestNumbers()[2]!, { title: 'Renamed PR' });
    dataset.completeRun(dataset.runIds()[0]!, 'failure');
    const before = github.api.log.length;
    const result = await lake.syncOrThrow(fixture.context);
    const records = Object.fromEntries(result.streams.map((stream) => [stream.name, stream.records]));
    expect(records).toMatchObject({
      issues: 3,
      issue_comments: 1,
      pull_requests: 1,
      pull_request_commits: 3,
      commits: 0,
      accounts: 0,
    });
    expect((await lake.rows('issues', { issue_key: String(dataset.issueNumbers()[7]) }))[0]?.title).toBe('Renamed');
    const issueListings = github.api.log.slice(before).filter((record) => record.path.endsWith('/issues'));
    expect(issueListings).toHaveLength(1);
    expect(await lake.count('issues')).toBe(dataset.counts().issues);
  });
});
