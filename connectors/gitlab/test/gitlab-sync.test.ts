import { createDomainIds } from '@lake/sdk';
import { createTestLake, type TestLake } from '@lake/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { gitlabConnector } from '../src/index.js';
import { PROJECT_ID, PROJECT_PATH } from './fake-gitlab/dataset.js';
import { gitlabFixture } from './fixture.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function setup(
  sizes = { mergeRequests: 12, issues: 15, commits: 10, pipelines: 8, deployments: 4 },
  project?: string | number,
) {
  const fixture = await gitlabFixture(sizes, project === undefined ? {} : { project });
  const lake: TestLake = await createTestLake({ connector: gitlabConnector });
  closers.push(fixture.close, () => lake.close());
  return { ...fixture, lake };
}

const countsOf = async (lake: TestLake, tables: readonly string[]) =>
  Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await lake.count(table)] as const)));

describe('a GitLab project synced into the lake', () => {
  it('writes every domain table with the counts the source holds, in DevLake ids', async () => {
    const { lake, context, dataset } = await setup();
    await lake.syncOrThrow(context);
    const expected = dataset.domainCounts();
    expect(await countsOf(lake, Object.keys(expected))).toEqual(expected);

    const project = `gitlab:GitlabProject:1:${PROJECT_ID}`;
    expect(await lake.rows('repos')).toMatchObject([{ id: project, name: PROJECT_PATH }]);
    expect(await lake.rows('cicd_scopes')).toMatchObject([{ id: project }]);
    expect(await lake.rows('board_repos')).toMatchObject([{ board_id: project, repo_id: project }]);

    const merged = dataset.mergeRequests.find((record) => record.state === 'merged' && record.merge_commit_sha)!;
    const [pull] = await lake.rows('pull_requests', { id: `gitlab:GitlabMergeRequest:1:${merged.id}` });
    expect(pull).toMatchObject({
      status: 'MERGED',
      original_status: 'merged',
      merge_commit_sha: merged.merge_commit_sha,
      pull_request_key: merged.iid,
      base_repo_id: project,
      author_id: `gitlab:GitlabAccount:1:${merged.author.id}`,
    });
    // Type and component from the labels, by the scope config's patterns (type::feature, component::api).
    const labelled = dataset.mergeRequests.find((record) => record.labels.includes('type::feature'))!;
    expect(await lake.rows('pull_requests', { id: `gitlab:GitlabMergeRequest:1:${labelled.id}` })).toMatchObject([
      { type: 'feature', component: 'api' },
    ]);
    // Squash-merged without a merge commit: what landed on the branch is the squash commit.
    const squashed = dataset.mergeRequests.find((record) => record.squash_commit_sha)!;
    const [squashPull] = await lake.rows('pull_requests', { id: `gitlab:GitlabMergeRequest:1:${squashed.id}` });
    expect(squashPull).toMatchObject({ status: 'MERGED', merge_commit_sha: squashed.squash_commit_sha });
    const closed = dataset.mergeRequests.find((record) => record.state === 'closed')!;
    expect(await lake.rows('pull_requests', { id: `gitlab:GitlabMergeRequest:1:${closed.id}` })).toMatchObject([
      { status: 'CLOSED' },
    ]);

    // Approvals are REVIEW comments; other system notes are left out.
    const approval = merged.notes.find((note) => note.system && note.body === 'approved this merge request')!;
    expect(await lake.rows('pull_request_comments', { id: `gitlab:GitlabMrNote:1:${approval.id}` })).toMatchObject([
      { type: 'REVIEW', status: 'APPROVED' },
    ]);

    const pipeline = dataset.pipelines[0]!;
    expect(await lake.rows('cicd_pipelines', { id: `gitlab:GitlabPipeline:1:${pipeline.id}` })).toMatchObject([
      { status: 'DONE', result: 'SUCCESS', type: 'DEPLOYMENT', environment: 'PRODUCTION', cicd_scope_id: project },
    ]);
    expect(await lake.rows('cicd_tasks', { id: `gitlab:GitlabJob:1:${pipeline.jobs[0]!.id}` })).toMatchObject([
      { pipeline_id: `gitlab:GitlabPipeline:1:${pipeline.id}`, duration_sec: 180 },
    ]);
    const production = dataset.deployments.find((record) => record.environment.tier === 'production')!;
    const deploymentId = `gitlab:GitlabDeployment:1:${PROJECT_ID}:${production.id}`;
    expect(await lake.rows('cicd_deployment_commits', { id: deploymentId })).toMatchObject([
      { environment: 'PRODUCTION', result: 'SUCCESS', commit_sha: production.sha, cicd_deployment_id: deploymentId },
    ]);
    const staging = dataset.deployments.find((record) => record.environment.tier === 'staging')!;
    expect(
      await lake.rows('cicd_deployments', { id: `gitlab:GitlabDeployment:1:${PROJECT_ID}:${staging.id}` }),
    ).toMatchObject([{ environment: 'STAGING' }]);

    // The tier comes from the environments listing, joined by the environment's id: "live" is
    // production by its tier though its name does not match the production pattern.
    const environments = await lake.rows('_tool_gitlab_environments');
    expect(environments.map((row) => [Number(row.gitlab_id), row.name, row.tier])).toEqual(
      dataset.environments.map((environment) => [environment.id, environment.name, environment.tier]),
    );
    const live = dataset.deployments.find((record) => record.environment.name === 'live')!;
    expect(
      await lake.rows('cicd_deployments', { id: `gitlab:GitlabDeployment:1:${PROJECT_ID}:${live.id}` }),
    ).toMatchObject([{ environment: 'PRODUCTION', original_environment: 'live' }]);

    const incident = dataset.issues.find((issue) => issue.issue_type === 'incident')!;
    expect(await lake.rows('issues', { id: `gitlab:GitlabIssue:1:${incident.id}` })).toMatchObject([
      { type: 'INCIDENT' },
    ]);
    const bug = dataset.issues.find((issue) => issue.labels.includes('bug') && issue.issue_type === 'issue')!;
    expect(await lake.rows('issues', { id: `gitlab:GitlabIssue:1:${bug.id}` })).toMatchObject([
      { type: 'BUG', priority: 'high', issue_key: String(bug.iid) },
    ]);
  });

  it('updates, on the next incremental sync, a merge request merged after the first and one edited after its merge', async () => {
    const { lake, context, dataset, gitlab } = await setup();
    await lake.syncOrThrow(context);
    const open = dataset.mergeRequests.find((record) => record.state === 'opened')!;
    const alreadyMerged = dataset.mergeRequests.find((record) => record.state === 'merged')!;
    const openId = `gitlab:GitlabMergeRequest:1:${open.id}`;
    expect(await lake.rows('pull_requests', { id: openId })).toMatchObject([{ status: 'OPEN' }]);

    dataset.merge(open.iid);
    dataset.touchMergeRequest(alreadyMerged.iid, { title: 'Renamed after the merge', labels: ['hotfix'] });
    const before = gitlab.api.log.length;
    await lake.syncOrThrow(context);

    expect(await lake.rows('pull_requests', { id: openId })).toMatchObject([
      { status: 'MERGED', merge_commit_sha: open.merge_commit_sha },
    ]);
    expect(await lake.rows('pull_requests', { id: `gitlab:GitlabMergeRequest:1:${alreadyMerged.id}` })).toMatchObject([
      { status: 'MERGED', title: 'Renamed after the merge' },
    ]);
    expect(
      (
        await lake.rows('pull_request_labels', { pull_request_id: `gitlab:GitlabMergeRequest:1:${alreadyMerged.id}` })
      ).map((row) => row.label_name),
    ).toEqual(['hotfix']);
    // The merge commit is on the branch: the commits stream compared the old head with the new one.
    expect(await lake.count('commits', { sha: open.merge_commit_sha })).toBe(1);
    // Incremental: the listing asked only for what changed since the last sync.
    const listings = gitlab.api.log.slice(before).filter((request) => request.path.endsWith('/merge_requests'));
    expect(listings.length).toBeGreaterThan(0);
    for (const request of listings) expect(request.query).toContain('updated_after=');
    expect(gitlab.api.log.slice(before).some((request) => request.path.endsWith('/repository/compare'))).toBe(true);
    const expected = dataset.domainCounts();
    expect(await countsOf(lake, Object.keys(expected))).toEqual(expected);
  });

  it('collects issue notes as issue_comments, system notes left out, and a note added later on the next sync', async () => {
    const { lake, context, dataset } = await setup();
    await lake.syncOrThrow(context);
    const issue = dataset.issues[1]!;
    const comments = async () =>
      (await lake.rows('issue_comments', { issue_id: `gitlab:GitlabIssue:1:${issue.id}` })).map((row) => row.id).sort();
    const noteIds = () =>
      issue.notes
        .filter((note) => !note.system)
        .map((note) => `gitlab:GitlabIssueNote:1:${note.id}`)
        .sort();
    expect(issue.notes.some((note) => note.system)).toBe(true);
    expect(await comments()).toEqual(noteIds());
    const [first] = issue.notes;
    expect(await lake.rows('issue_comments', { id: `gitlab:GitlabIssueNote:1:${first!.id}` })).toMatchObject([
      { body: first!.body, account_id: `gitlab:GitlabAccount:1:${first!.author.id}` },
    ]);

    dataset.addIssueNote(issue.iid, 'Seen again in production');
    await lake.syncOrThrow(context);
    expect(await comments()).toEqual(noteIds());
    expect(await lake.count('issue_comments')).toBe(dataset.domainCounts().issue_comments);
  });

  it('syncs a project named by its numeric id as by its path', async () => {
    const { lake, context, dataset } = await setup(undefined, PROJECT_ID);
    await lake.syncOrThrow(context);
    expect(await lake.count('pull_requests')).toBe(dataset.mergeRequests.length);
    const scopes = await gitlabConnector.domainScopes({
      db: lake.store.db,
      connection: { id: 1 },
      scope: { project: PROJECT_ID },
      ids: createDomainIds('gitlab', 1),
    } as never);
    expect(scopes.map((scope) => scope.id)).toEqual([
      `gitlab:GitlabProject:1:${PROJECT_ID}`,
      `gitlab:GitlabProject:1:${PROJECT_ID}`,
      `gitlab:GitlabProject:1:${PROJECT_ID}`,
    ]);
  });

  it('writes the approvers of merge requests as pull_request_reviewers, and drops an approval withdrawn', async () => {
    const { lake, context, dataset } = await setup();
    await lake.syncOrThrow(context);
    const reviewers = async (record: { id: number }) =>
      (await lake.rows('pull_request_reviewers', { pull_request_id: `gitlab:GitlabMergeRequest:1:${record.id}` }))
        .map((row) => [row.reviewer_id, row.user_name, row.name])
        .sort();
    const approved = dataset.mergeRequests.find((record) => record.approved_by.length === 1)!;
    const [approver] = approved.approved_by;
    expect(await reviewers(approved)).toEqual([
      [`gitlab:GitlabAccount:1:${approver!.id}`, approver!.username, approver!.name],
    ]);
    expect(await lake.count('pull_request_reviewers')).toBe(dataset.domainCounts().pull_request_reviewers);

    const other = dataset.user(4);
    dataset.approve(approved.iid, other);
    dataset.unapprove(approved.iid, approver!);
    await lake.syncOrThrow(context);
    expect(await reviewers(approved)).toEqual([[`gitlab:GitlabAccount:1:${other.id}`, other.username, other.name]]);
    expect(await lake.count('pull_request_reviewers')).toBe(dataset.domainCounts().pull_request_reviewers);
  });

  it.each([
    ['a path', PROJECT_PATH, PROJECT_PATH],
    ['a number', PROJECT_ID, PROJECT_ID],
    ['a numeric string', String(PROJECT_ID), PROJECT_ID],
  ])('keeps in raw params the project as DevLake does, given as %s', async (_, project, expected) => {
    const { lake, context } = await setup(
      { mergeRequests: 2, issues: 1, commits: 1, pipelines: 1, deployments: 1 },
      project,
    );
    await lake.syncOrThrow(context);
    const params = new Set((await lake.rows('_tool_gitlab_merge_requests')).map((row) => String(row._raw_data_params)));
    expect([...params]).toEqual([JSON.stringify({ ConnectionId: 1, ProjectId: expected })]);
  });

  it('reads the whole history when GitLab no longer knows the last head (force-pushed away)', async () => {
    const { lake, context, dataset, gitlab } = await setup();
    await lake.syncOrThrow(context);
    // A force push: the history is rewritten, the old head is gone.
    dataset.commits.splice(dataset.commits.length - 2, 2);
    dataset.addCommit('Rewritten');
    const before = gitlab.api.log.length;
    await lake.syncOrThrow(context);
    const requests = gitlab.api.log.slice(before);
    expect(
      requests.filter((request) => request.path.endsWith('/repository/compare')).map((request) => request.status),
    ).toEqual([404]);
    expect(requests.some((request) => request.path.endsWith('/repository/commits'))).toBe(true);
    expect(await lake.count('commits', { sha: dataset.head!.id })).toBe(1);
  });

  it('fails clearly on an unknown project, naming neither the token nor anything secret', async () => {
    const { lake, context } = await setup();
    const result = await lake.sync({ ...context, scope: { project: 'lake/platform/missing' } });
    expect(result.status).toBe('failed');
    expect(result.error?.message).toContain('404 Project Not Found');
    expect(result.error?.message).not.toContain('glpat-');
  });

  it('refuses a bad scope, naming the field', async () => {
    const { lake, context } = await setup();
    await expect(lake.sync({ ...context, scope: { project: 'no-namespace' } })).rejects.toThrow(/scope\.project/);
  });
});
