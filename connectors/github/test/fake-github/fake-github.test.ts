import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GithubDataset } from './dataset.js';
import { type FakeGithub, startFakeGithub } from './fake-github.js';
import { githubTime } from './payloads.js';

const TOKEN = 'ghp_valid';
const GITHUB_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** GETs `url` with `token` (`''` for none) and parses the JSON. */
async function getJson(url: string, token = TOKEN, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    headers: {
      accept: 'application/vnd.github+json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  } as JsonResponse;
}

function nextLink(headers: Headers): string | undefined {
  return /<([^>]+)>;\s*rel="next"/.exec(headers.get('link') ?? '')?.[1];
}

/** Follows `rel="next"` from `url` to the end; `select` picks the items out of each body. */
async function collectPages<T = Record<string, unknown>>(
  url: string,
  select: (body: unknown) => unknown[] = (body) => body as unknown[],
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  let next: string | undefined = url;
  while (next) {
    const response = await getJson(next);
    expect(response.status).toBe(200);
    items.push(...(select(response.body) as T[]));
    pages += 1;
    next = nextLink(response.headers);
  }
  return { items, pages };
}

type Item = Record<string, unknown>;

describe('fake GitHub', () => {
  let github: FakeGithub;
  let dataset: GithubDataset;
  let repoUrl: string;

  beforeAll(async () => {
    dataset = new GithubDataset({ sizes: { issues: 250, pullRequests: 40 } });
    github = await startFakeGithub(dataset);
    repoUrl = `${github.url}/repos/octo-org/widgets`;
  });
  afterAll(() => github.close());

  it('pages through every issue and pull request exactly once at per_page=100', async () => {
    const { items, pages } = await collectPages<Item>(`${repoUrl}/issues?state=all&per_page=100`);
    const counts = dataset.counts();
    expect(pages).toBe(Math.ceil((counts.issues + counts.pullRequests) / 100));
    const numbers = items.map((item) => item.number as number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.length).toBe(counts.issues + counts.pullRequests);
    expect(items.filter((item) => 'pull_request' in item)).toHaveLength(counts.pullRequests);
    expect(new Set(numbers)).toEqual(new Set([...dataset.issueNumbers(), ...dataset.pullRequestNumbers()]));
  });

  it('serves issues in the shape GitHub does', async () => {
    const { body, headers } = await getJson(`${repoUrl}/issues?state=all&per_page=5&page=1&direction=asc`);
    const [first] = body as Item[];
    expect(first).toMatchObject({
      url: `${repoUrl}/issues/1`,
      repository_url: repoUrl,
      html_url: expect.stringMatching(/^https:\/\/github\.example\.com\/octo-org\/widgets\/(issues|pull)\/1$/),
      number: 1,
      state: expect.stringMatching(/^(open|closed)$/),
      user: { login: expect.any(String), id: expect.any(Number), node_id: expect.any(String), type: 'User' },
      author_association: expect.any(String),
      created_at: expect.stringMatching(GITHUB_TIME),
      updated_at: expect.stringMatching(GITHUB_TIME),
    });
    for (const key of [
      'id',
      'node_id',
      'labels',
      'assignee',
      'assignees',
      'milestone',
      'locked',
      'comments',
      'closed_at',
    ]) {
      expect(first).toHaveProperty(key);
    }
    expect(typeof first?.id).toBe('number');
    expect(headers.get('x-github-api-version-selected')).toBe('2022-11-28');
    expect(headers.get('link')).toContain('rel="next"');
    expect(headers.get('etag')).toMatch(/^W\/"/);
  });

  it('labels, closes and merges a realistic share of items', async () => {
    const { items: issues } = await collectPages<Item>(`${repoUrl}/issues?state=all&per_page=100`);
    const labelNames = new Set(issues.flatMap((issue) => (issue.labels as Item[]).map((label) => label.name)));
    for (const name of ['bug', 'type/feature', 'severity/high', 'priority/p1', 'component/api', 'incident']) {
      expect(labelNames).toContain(name);
    }
    const plain = issues.filter((issue) => !('pull_request' in issue));
    const closed = plain.filter((issue) => issue.state === 'closed');
    expect(closed.length / plain.length).toBeGreaterThan(0.25);
    expect(closed.length / plain.length).toBeLessThan(0.45);
    for (const issue of closed) {
      expect(Date.parse(issue.closed_at as string)).toBeGreaterThan(Date.parse(issue.created_at as string));
      expect(issue.state_reason).toMatch(/^(completed|not_planned)$/);
    }
    const { items: pulls } = await collectPages<Item>(`${repoUrl}/pulls?state=all&per_page=100`);
    const merged = pulls.filter((pull) => pull.merged_at !== null);
    expect(merged.length).toBeGreaterThan(0);
    expect(merged.every((pull) => typeof pull.merge_commit_sha === 'string' && pull.state === 'closed')).toBe(true);
    expect(pulls.some((pull) => pull.state === 'closed' && pull.merged_at === null)).toBe(true);
    expect(pulls.some((pull) => pull.state === 'open')).toBe(true);
    expect(pulls.some((pull) => pull.draft === true)).toBe(true);
    for (const pull of pulls) {
      expect(Date.parse(pull.updated_at as string)).toBeGreaterThanOrEqual(Date.parse(pull.created_at as string));
    }
  });

  it('returns only what changed since a moment, with since + sort=updated&direction=asc', async () => {
    const before = dataset.now;
    const [issueNumber] = dataset.issueNumbers();
    const [pullNumber] = dataset.pullRequestNumbers();
    dataset.touchIssue(issueNumber!, { title: 'Retitled', labels: ['incident'] });
    dataset.touchPullRequest(pullNumber!, { merged: true });
    const newIssue = dataset.addIssue({ title: 'Brand new' });
    const since = githubTime(before.getTime() + 1000);

    const { items } = await collectPages<Item>(
      `${repoUrl}/issues?state=all&sort=updated&direction=asc&since=${since}&per_page=100`,
    );
    expect(items.map((item) => item.number)).toEqual([issueNumber, pullNumber, newIssue]);
    expect(items[0]).toMatchObject({ title: 'Retitled', labels: [expect.objectContaining({ name: 'incident' })] });
    const merged = items[1]!;
    expect((merged.pull_request as Item).merged_at).toEqual(merged.updated_at);
  });

  it('orders /pulls?state=all&sort=updated&direction=desc by updated_at, newest first', async () => {
    const { items } = await collectPages<Item>(`${repoUrl}/pulls?state=all&sort=updated&direction=desc&per_page=7`);
    expect(items).toHaveLength(dataset.counts().pullRequests);
    const updated = items.map((item) => Date.parse(item.updated_at as string));
    expect(updated).toEqual([...updated].sort((left, right) => right - left));
    expect(items[0]).toMatchObject({
      head: {
        ref: expect.any(String),
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
        repo: { full_name: 'octo-org/widgets' },
      },
      base: { ref: 'main', sha: expect.stringMatching(/^[0-9a-f]{40}$/) },
    });
    // GitHub's documented default direction: desc for created, asc for the other sorts.
    const { body } = await getJson(`${repoUrl}/pulls?state=all&sort=updated&per_page=100`);
    const ascending = (body as Item[]).map((item) => Date.parse(item.updated_at as string));
    expect(ascending).toEqual([...ascending].sort((left, right) => left - right));
  });

  it('lists repository comments and review comments with since', async () => {
    const [number] = dataset.issueNumbers();
    const before = dataset.now;
    const commentId = dataset.addIssueComment(number!, 'Late comment');
    const since = githubTime(before.getTime() + 1000);
    const { body } = await getJson(`${repoUrl}/issues/comments?sort=updated&direction=asc&since=${since}`);
    expect((body as Item[]).map((comment) => comment.id)).toEqual([commentId]);
    expect((body as Item[])[0]).toMatchObject({ issue_url: `${repoUrl}/issues/${number}`, body: 'Late comment' });

    const { items: comments } = await collectPages<Item>(`${repoUrl}/issues/comments?per_page=100`);
    const counts = dataset.counts();
    expect(comments).toHaveLength(counts.issueComments + counts.prConversationComments);
    const { items: reviewComments } = await collectPages<Item>(`${repoUrl}/pulls/comments?per_page=100`);
    expect(reviewComments).toHaveLength(counts.reviewComments);
    expect(reviewComments[0]).toMatchObject({
      pull_request_review_id: expect.any(Number),
      side: 'RIGHT',
      line: expect.any(Number),
    });
  });

  it('serves pull request commits and reviews', async () => {
    const [number] = dataset.pullRequestNumbers();
    const { body: commits } = await getJson(`${repoUrl}/pulls/${number}/commits`);
    expect(commits).toHaveLength(3);
    expect((commits as Item[])[0]).toMatchObject({
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
      commit: {
        author: { date: expect.stringMatching(GITHUB_TIME) },
        tree: { sha: expect.any(String) },
        comment_count: 0,
      },
      parents: [{ sha: expect.any(String), url: expect.any(String), html_url: expect.any(String) }],
    });
    const { body: reviews } = await getJson(`${repoUrl}/pulls/${number}/reviews`);
    expect(reviews).toHaveLength(1);
    expect((reviews as Item[])[0]?.state).toMatch(/^(APPROVED|CHANGES_REQUESTED|COMMENTED|DISMISSED)$/);
  });

  it('lists default-branch commits newest first, with since and until', async () => {
    const { items } = await collectPages<Item>(`${repoUrl}/commits?per_page=100`);
    expect(items).toHaveLength(dataset.counts().commits);
    const dates = items.map((item) => Date.parse((item.commit as { committer: { date: string } }).committer.date));
    expect(dates).toEqual([...dates].sort((left, right) => right - left));
    expect(items.some((item) => item.author === null)).toBe(true);
    const middle = items[5]!.commit as { committer: { date: string } };
    const { body } = await getJson(`${repoUrl}/commits?until=${middle.committer.date}&per_page=100`);
    expect(body).toHaveLength(items.length - 5);
    const unknown = await getJson(`${repoUrl}/commits?sha=no-such-branch`);
    expect(unknown.status).toBe(404);
  });

  it('answers 401 for a bad or missing token', async () => {
    const bad = await getJson(`${github.url}/user`, 'ghp_wrong');
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ message: 'Bad credentials', documentation_url: expect.any(String) });
    expect((await getJson(`${repoUrl}/issues`, 'ghp_wrong')).status).toBe(401);
    const anonymous = await getJson(`${repoUrl}/issues`, '');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ message: 'Requires authentication' });
    const good = await getJson(`${github.url}/user`);
    expect(good.body).toMatchObject({ login: 'alice', name: 'Alice Archer', public_repos: expect.any(Number) });
  });

  it('answers 404 for another repository and an unknown user', async () => {
    const missing = await getJson(`${github.url}/repos/octo-org/does-not-exist`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ message: 'Not Found' });
    expect((await getJson(`${github.url}/repos/someone-else/widgets/issues`)).status).toBe(404);
    expect((await getJson(`${github.url}/users/nobody-here`)).status).toBe(404);
    const repo = await getJson(`${github.url}/repos/Octo-Org/Widgets`);
    expect(repo.body).toMatchObject({ full_name: 'octo-org/widgets', default_branch: 'main', private: true });
  });

  it('filters workflow runs by created and status, newest first', async () => {
    const all = await getJson(`${repoUrl}/actions/runs?per_page=100`);
    const { total_count, workflow_runs } = all.body as { total_count: number; workflow_runs: Item[] };
    expect(total_count).toBe(6);
    expect(workflow_runs.map((run) => run.name)).toEqual(expect.arrayContaining(['CI', 'Deploy to production']));
    const created = workflow_runs.map((run) => Date.parse(run.created_at as string));
    expect(created).toEqual([...created].sort((left, right) => right - left));

    const cut = workflow_runs[2]!.created_at as string;
    const recent = (await getJson(`${repoUrl}/actions/runs?created=>=${cut}`)).body as { total_count: number };
    expect(recent.total_count).toBe(3);
    const byDate = (await getJson(`${repoUrl}/actions/runs?created=>=2024-01-01`)).body as { total_count: number };
    expect(byDate.total_count).toBe(6);
    const none = (await getJson(`${repoUrl}/actions/runs?created=<2024-01-01`)).body as { total_count: number };
    expect(none.total_count).toBe(0);

    const paged = await getJson(`${repoUrl}/actions/runs?per_page=2`);
    expect((paged.body as { total_count: number; workflow_runs: Item[] }).workflow_runs).toHaveLength(2);
    expect(nextLink(paged.headers)).toContain('page=2');

    const running = (await getJson(`${repoUrl}/actions/runs?status=in_progress`)).body as { workflow_runs: Item[] };
    expect(running.workflow_runs).toHaveLength(1);
    const runId = running.workflow_runs[0]!.id as number;
    dataset.completeRun(runId, 'failure');
    const finished = (await getJson(`${repoUrl}/actions/runs/${runId}/jobs`)).body as {
      total_count: number;
      jobs: Item[];
    };
    expect(finished.total_count).toBe(2);
    expect(finished.jobs.every((job) => job.status === 'completed')).toBe(true);
    expect(finished.jobs.at(-1)).toMatchObject({ conclusion: 'failure', run_id: runId, steps: expect.any(Array) });
  });

  it('serves deployments and their statuses newest first', async () => {
    const { body } = await getJson(`${repoUrl}/deployments`);
    const deployments = body as Item[];
    expect(deployments).toHaveLength(3);
    expect(deployments.map((deployment) => deployment.environment)).toEqual(['production', 'staging', 'production']);
    const statuses = (await getJson(`${repoUrl}/deployments/${deployments[2]!.id}/statuses`)).body as Item[];
    // The older production deployment was retired by the newer one.
    expect(statuses.map((status) => status.state)).toEqual(['inactive', 'success', 'in_progress']);
  });

  it('lists organizations and repositories with Link pagination', async () => {
    const orgs = (await getJson(`${github.url}/user/orgs`)).body as Item[];
    expect(orgs.map((org) => org.login)).toContain('octo-org');
    expect(orgs).toHaveLength(2);
    const { items, pages } = await collectPages<Item>(`${github.url}/orgs/octo-org/repos?per_page=2`);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(items.map((repo) => repo.full_name)).toContain('octo-org/widgets');
    const own = (await getJson(`${github.url}/user/repos?affiliation=owner`)).body as Item[];
    expect(own.map((repo) => repo.full_name)).toEqual(['alice/dotfiles', 'alice/playground']);
  });

  it('hides a transferred issue and its comments', async () => {
    const number = dataset.issueNumbers()[1]!;
    const commentsBefore = dataset.counts().issueComments;
    dataset.deleteIssue(number);
    expect((await getJson(`${repoUrl}/issues/${number}`)).status).toBe(404);
    const { items } = await collectPages<Item>(`${repoUrl}/issues?state=all&per_page=100`);
    expect(items.map((item) => item.number)).not.toContain(number);
    expect(dataset.counts().issueComments).toBe(commentsBefore - 2);
    const { items: comments } = await collectPages<Item>(`${repoUrl}/issues/comments?per_page=100`);
    expect(comments.filter((comment) => comment.issue_url === `${repoUrl}/issues/${number}`)).toEqual([]);
  });

  it('answers 304 to a matching If-None-Match, until the dataset changes', async () => {
    const first = await getJson(`${repoUrl}/issues?per_page=3`);
    const etag = first.headers.get('etag')!;
    expect((await getJson(`${repoUrl}/issues?per_page=3`, TOKEN, { 'if-none-match': etag })).status).toBe(304);
    dataset.addIssue();
    expect((await getJson(`${repoUrl}/issues?per_page=3`, TOKEN, { 'if-none-match': etag })).status).toBe(200);
  });

  it('reports the rate limit', async () => {
    const { body } = await getJson(`${github.url}/rate_limit`);
    expect(body).toMatchObject({
      resources: { core: { limit: 5000, resource: 'core' }, search: { limit: 30 }, graphql: { limit: 5000 } },
      rate: { limit: 5000, remaining: expect.any(Number), reset: expect.any(Number), used: expect.any(Number) },
    });
  });
});

describe('fake GitHub: the default branch, its head and comparisons', () => {
  let github: FakeGithub;
  let dataset: GithubDataset;
  let repoUrl: string;
  const shas = (items: unknown) => (items as Item[]).map((item) => String(item.sha));

  beforeAll(async () => {
    dataset = new GithubDataset({ sizes: { issues: 4, pullRequests: 10, commits: 5 } });
    github = await startFakeGithub(dataset);
    repoUrl = `${github.url}/repos/octo-org/widgets`;
  });
  afterAll(() => github.close());

  it("lists every commit the branch reaches (merged pull requests' commits included), its head first", async () => {
    const { items } = await collectPages<Item>(`${repoUrl}/commits?per_page=100`);
    const listed = new Set(shas(items));
    const merged = dataset.pullRequestNumbers().filter((number) => dataset.issue(number)!.pull!.mergedAt !== null);
    expect(merged.length).toBeGreaterThan(0);
    for (const number of merged)
      for (const commit of dataset.issue(number)!.pull!.commits) expect(listed.has(commit.sha)).toBe(true);
    expect(listed.size).toBe(dataset.commits.length + merged.length * 3);
    expect(shas(items)[0]).toBe(dataset.commits.at(-1)!.sha);
  });

  it('names the branch head, and answers 404 for a branch it does not have', async () => {
    const { body } = await getJson(`${repoUrl}/branches/main`);
    expect(body).toMatchObject({ name: 'main', commit: { sha: dataset.commits.at(-1)!.sha }, protected: true });
    expect((await getJson(`${repoUrl}/branches/no-such-branch`)).status).toBe(404);
  });

  it('compares two heads: what only the newer reaches, oldest first, in pages; 404 once a head is collected', async () => {
    const lastHead = dataset.commits.at(-1)!.sha;
    const open = dataset.pullRequestNumbers().find((number) => dataset.issue(number)!.state === 'open')!;
    dataset.touchPullRequest(open, { merged: true });
    const pushed = dataset.pushCommits(2);
    const head = dataset.commits.at(-1)!.sha;
    const expected = [
      ...dataset.issue(open)!.pull!.commits.map((commit) => commit.sha),
      dataset.issue(open)!.pull!.mergeCommitSha!,
      ...pushed,
    ];

    const whole = await getJson(`${repoUrl}/compare/${lastHead}...${head}`);
    expect(whole.body).toMatchObject({ status: 'ahead', ahead_by: 6, behind_by: 0, total_commits: 6, files: [] });
    expect(shas((whole.body as { commits: unknown }).commits)).toEqual(expected);
    const { items, pages } = await collectPages<Item>(
      `${repoUrl}/compare/${lastHead}...${head}?per_page=4`,
      (body) => (body as { commits: unknown[] }).commits,
    );
    expect(pages).toBe(2);
    expect(shas(items)).toEqual(expected);

    expect((await getJson(`${repoUrl}/compare/${head}...${head}`)).body).toMatchObject({
      status: 'identical',
      commits: [],
    });
    expect((await getJson(`${repoUrl}/compare/${head}...${lastHead}`)).body).toMatchObject({
      status: 'behind',
      ahead_by: 0,
      behind_by: 6,
    });
    dataset.rewriteBranch(1);
    expect((await getJson(`${repoUrl}/compare/${head}...main`)).status).toBe(404);
    expect((await getJson(`${repoUrl}/compare/${lastHead}...main`)).body).toMatchObject({
      status: 'ahead',
      ahead_by: 6,
    });
  });
});

describe('fake GitHub Enterprise (/api/v3)', () => {
  it('serves the same API under the prefix, with links that keep it', async () => {
    const dataset = new GithubDataset({ sizes: { issues: 5, pullRequests: 2 } });
    const github = await startFakeGithub(dataset, { pathPrefix: '/api/v3', tokens: { ghp_enterprise: 'bob' } });
    try {
      expect(github.url).toMatch(/\/api\/v3$/);
      const user = await getJson(`${github.url}/user`, 'ghp_enterprise');
      expect(user.body).toMatchObject({ login: 'bob', url: `${github.url}/users/bob` });
      const page = await fetch(`${github.url}/repos/octo-org/widgets/issues?per_page=2`, {
        headers: { authorization: 'token ghp_enterprise' },
      });
      expect(page.status).toBe(200);
      expect(page.headers.get('link')).toContain('/api/v3/repos/octo-org/widgets/issues?');
      const [issue] = (await page.json()) as Item[];
      expect(issue?.url).toMatch(new RegExp(`^${github.url}/repos/octo-org/widgets/issues/\\d+$`));
      expect((await getJson(`${github.api.url}/repos/octo-org/widgets`, 'ghp_enterprise')).status).toBe(404);
    } finally {
      await github.close();
    }
  });
});

describe('a large dataset', () => {
  it('builds 10,050 issues and pages through them', async () => {
    const dataset = new GithubDataset({ sizes: { issues: 10_050, pullRequests: 200 } });
    expect(dataset.counts()).toMatchObject({ issues: 10_050, pullRequests: 200, issueComments: 20_100 });
    const github = await startFakeGithub(dataset);
    try {
      const { items, pages } = await collectPages<Item>(
        `${github.url}/repos/octo-org/widgets/issues?state=all&sort=updated&direction=asc&per_page=100`,
      );
      expect(pages).toBe(103);
      expect(new Set(items.map((item) => item.number)).size).toBe(10_250);
      const updated = items.map((item) => Date.parse(item.updated_at as string));
      expect(updated).toEqual([...updated].sort((left, right) => left - right));
    } finally {
      await github.close();
    }
  });

  it('is deterministic for a seed', () => {
    const sizes = { issues: 30, pullRequests: 5 };
    const first = new GithubDataset({ sizes });
    const second = new GithubDataset({ sizes });
    const urls = { baseUrl: 'http://api.test', webUrl: 'https://github.test' };
    expect(first.issues.map((record) => first.issuePayload(record, urls))).toEqual(
      second.issues.map((record) => second.issuePayload(record, urls)),
    );
    expect(new GithubDataset({ sizes, seed: 2 }).issues.map((record) => record.author)).not.toEqual(
      first.issues.map((record) => record.author),
    );
  });
});
