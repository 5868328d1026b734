import { createHash } from 'node:crypto';
import {
  type FakeApi,
  type FakeRequest,
  type FakeResponse,
  paginateByLink,
  recordTestedVersion,
  startFakeApi,
} from '@lake/testkit/fake-api';
import { buildCatalog, type Catalog, organizationRepositories, personalRepositories } from './catalog.js';
import type { GithubDataset } from './dataset.js';
import { organizationPayload, type PayloadUrls, rateLimitPayload } from './payloads.js';
import {
  compareCommits,
  InvalidQueryError,
  listCommentsOfIssue,
  listCommits,
  listDeployments,
  listIssueComments,
  listIssues,
  listPulls,
  listReviewComments,
  listRuns,
  parseTime,
  resolveRef,
} from './queries.js';

export interface FakeGithubOptions {
  /** Token → login of the account it authenticates. Default `{ ghp_valid: 'alice' }`. */
  tokens?: Record<string, string>;
  /** `''` for github.com-style paths, `'/api/v3'` for GitHub Enterprise Server. Default `''`. */
  pathPrefix?: string;
  /** Root of the `html_url` links. Default `https://github.example.com`. */
  webUrl?: string;
  /** Port on 127.0.0.1; default 0 (any free port). `lake-fake-api serve --port` sets it. */
  port?: number;
}

export interface FakeGithub {
  /** The underlying fake API, for faults, rate limits, latency and the request log. */
  api: FakeApi;
  /** The API base URL a client is configured with, including the path prefix. */
  url: string;
  dataset: GithubDataset;
  /**
   * Called with every authenticated request before it is answered, for tests that change the
   * dataset, or stop a client, at a precise point of a sync.
   */
  onRequest: ((request: FakeRequest) => void) | undefined;
  close(): Promise<void>;
}

const DOCUMENTATION_URL = 'https://docs.github.com/rest';
const RATE_LIMIT = 5000;
const HOUR = 3_600_000;

/** Headers GitHub sends on every REST response (the rate-limit ones are the fake API kit's job). */
const COMMON_HEADERS: Record<string, string> = {
  'x-github-api-version-selected': '2022-11-28',
  'x-github-media-type': 'github.v3; format=json',
  'x-oauth-scopes': 'repo, read:org, workflow',
  'x-accepted-oauth-scopes': 'repo',
  'cache-control': 'private, max-age=60, s-maxage=60',
  vary: 'Accept, Authorization, Cookie, X-GitHub-OTP',
  'x-content-type-options': 'nosniff',
};

/** An answer other than 200, raised from deep inside a handler. */
class HttpError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown>) {
    super(String(body.message));
    this.status = status;
    this.body = body;
  }
}

function notFound(): HttpError {
  return new HttpError(404, { message: 'Not Found', documentation_url: DOCUMENTATION_URL, status: '404' });
}

interface RouteContext {
  request: FakeRequest;
  /** The authenticated login. */
  login: string;
  urls: PayloadUrls;
}

type GithubHandler = (context: RouteContext) => FakeResponse;

/**
 * Starts a fake GitHub REST API serving `dataset` (plus the organizations and empty neighbour
 * repositories around it), on 127.0.0.1 with a free port. Every route checks the token, pages
 * with `Link` headers, answers with GitHub's headers and a weak ETag (honouring `If-None-Match`
 * with 304), and renders links to itself.
 */
export async function startFakeGithub(dataset: GithubDataset, options: FakeGithubOptions = {}): Promise<FakeGithub> {
  const tokens = options.tokens ?? { ghp_valid: 'alice' };
  for (const login of Object.values(tokens)) {
    if (!dataset.user(login)) throw new Error(`Token for unknown login ${login}: use one of the dataset's users`);
  }
  const prefix = (options.pathPrefix ?? '').replace(/\/+$/, '');
  const webUrl = (options.webUrl ?? 'https://github.example.com').replace(/\/+$/, '');
  const catalog = buildCatalog(dataset);
  const usage = new Map<string, { windowStart: number; used: number }>();
  const api = await startFakeApi({ port: options.port ?? 0 });
  const fake: FakeGithub = { api, url: api.url + prefix, dataset, onRequest: undefined, close: () => api.close() };

  const guard =
    (handler: GithubHandler, cacheable: boolean) =>
    (request: FakeRequest): FakeResponse => {
      const token = request.token;
      if (token === undefined || token === '') {
        return withCommonHeaders({
          status: 401,
          body: { message: 'Requires authentication', documentation_url: DOCUMENTATION_URL, status: '401' },
        });
      }
      const login = Object.hasOwn(tokens, token) ? tokens[token] : undefined;
      if (login === undefined) {
        return withCommonHeaders({
          status: 401,
          body: { message: 'Bad credentials', documentation_url: DOCUMENTATION_URL, status: '401' },
        });
      }
      countUsage(usage, token);
      fake.onRequest?.(request);
      const apiVersion = request.headers['x-github-api-version'];
      recordTestedVersion(
        prefix ? 'GitHub Enterprise Server REST API (/api/v3 paths)' : 'GitHub REST API',
        typeof apiVersion === 'string' ? apiVersion : undefined,
      );
      const context = { request: normalizePaging(request), login, urls: { baseUrl: request.baseUrl + prefix, webUrl } };
      let response: FakeResponse;
      try {
        response = handler(context);
      } catch (error) {
        if (error instanceof HttpError) return withCommonHeaders({ status: error.status, body: error.body });
        if (error instanceof InvalidQueryError) {
          return withCommonHeaders({
            status: 422,
            body: { message: error.message, documentation_url: DOCUMENTATION_URL, status: '422' },
          });
        }
        throw error;
      }
      const answered = withCommonHeaders(response);
      return cacheable ? withEtag(request, login, dataset.version, answered) : answered;
    };
  const get = (path: string, handler: GithubHandler, { cacheable = true } = {}) =>
    api.route('GET', `${prefix}${path}`, guard(handler, cacheable));
  const repository = (request: FakeRequest) => findRepository(catalog, request);

  // --- The authenticated account ------------------------------------------------------------

  get('/user', ({ login, urls }) => ({
    body: {
      ...dataset.fullUserPayload(login, urls),
      // Fields GitHub adds only when the user looks at themselves.
      private_gists: 0,
      total_private_repos: 1,
      owned_private_repos: 1,
      disk_usage: 10_240,
      collaborators: 0,
      two_factor_authentication: true,
      plan: { name: 'pro', space: 976_562_499, collaborators: 0, private_repos: 9999 },
    },
  }));

  get(
    '/rate_limit',
    ({ request }) => {
      const window = usage.get(request.token ?? '') ?? { windowStart: Date.now(), used: 0 };
      // GitHub does not count this request against the limit.
      const used = Math.max(0, window.used - 1);
      return {
        body: rateLimitPayload({ limit: RATE_LIMIT, used, reset: Math.ceil((window.windowStart + HOUR) / 1000) }),
      };
      // Its body changes with every other request, which the version-based ETag would not notice.
    },
    { cacheable: false },
  );

  get('/user/orgs', ({ request, urls }) =>
    paginate(catalog.organizations, request, (organization) => organizationPayload(organization, urls)),
  );

  get('/user/repos', ({ request, login, urls }) => {
    const type = request.query.get('type');
    const visibility = request.query.get('visibility') ?? 'all';
    if (type !== null && (request.query.has('visibility') || request.query.has('affiliation'))) {
      // GitHub refuses `type` together with `visibility` or `affiliation`.
      throw new InvalidQueryError('If you specify visibility or affiliation, you cannot specify type.');
    }
    const affiliation = new Set(
      (request.query.get('affiliation') ?? 'owner,collaborator,organization_member')
        .split(',')
        .map((value) => value.trim()),
    );
    if (type === 'owner') affiliation.delete('organization_member');
    if (type === 'member') affiliation.delete('owner');
    const candidates = [
      ...(affiliation.has('owner') ? personalRepositories(catalog, login) : []),
      // Every account of the dataset belongs to both organizations.
      ...(affiliation.has('organization_member')
        ? catalog.organizations.flatMap((organization) => organizationRepositories(catalog, organization.login))
        : []),
    ];
    const wanted = type === 'public' || type === 'private' ? type : visibility;
    const selected = candidates.filter(
      (candidate) => wanted === 'all' || (wanted === 'private') === candidate.metadata.private,
    );
    return paginate(sortRepositories(selected, request.query, 'full_name'), request, (candidate) =>
      candidate.repositoryListingPayload(urls),
    );
  });

  get('/users/:login', ({ request, urls }) => {
    const user = dataset.users.find(
      (candidate) => candidate.login.toLowerCase() === request.params.login?.toLowerCase(),
    );
    if (!user) throw notFound();
    return { body: dataset.fullUserPayload(user.login, urls) };
  });

  // --- Organizations --------------------------------------------------------------------------

  get('/orgs/:org/repos', ({ request, urls }) => {
    const organization = catalog.organizations.find(
      (candidate) => candidate.login.toLowerCase() === request.params.org?.toLowerCase(),
    );
    if (!organization) throw notFound();
    const type = request.query.get('type') ?? 'all';
    const selected = organizationRepositories(catalog, organization.login).filter(
      (candidate) =>
        type === 'all' ||
        type === 'member' ||
        (type === 'public' && !candidate.metadata.private) ||
        (type === 'private' && candidate.metadata.private) ||
        (type === 'forks' && candidate.metadata.fork) ||
        (type === 'sources' && !candidate.metadata.fork),
    );
    return paginate(sortRepositories(selected, request.query, 'created'), request, (candidate) =>
      candidate.repositoryListingPayload(urls),
    );
  });

  // --- One repository -------------------------------------------------------------------------

  get('/repos/:owner/:repo', ({ request, urls }) => {
    const target = repository(request);
    const organization = catalog.organizations.find((candidate) => candidate.login === target.owner);
    return { body: target.repositoryPayload(urls, target.ownerType === 'Organization' ? organization : undefined) };
  });

  get('/repos/:owner/:repo/labels', ({ request, urls }) => {
    const target = repository(request);
    return paginate(target.labelPayloads(urls), request, (label) => label);
  });

  // Registered before `/issues/:number`, which would otherwise take `comments` for a number.
  get('/repos/:owner/:repo/issues/comments', ({ request, urls }) => {
    const target = repository(request);
    return paginate(listIssueComments(target, request.query), request, (comment) =>
      target.issueCommentPayload(comment, urls),
    );
  });

  get('/repos/:owner/:repo/issues', ({ request, urls }) => {
    const target = repository(request);
    return paginate(listIssues(target, request.query), request, (record) => target.issuePayload(record, urls));
  });

  get('/repos/:owner/:repo/issues/:number', ({ request, urls }) => {
    const target = repository(request);
    const record = target.issue(numberParameter(request, 'number'));
    if (!record) throw notFound();
    return { body: target.issuePayload(record, urls, { withClosedBy: true }) };
  });

  get('/repos/:owner/:repo/issues/:number/comments', ({ request, urls }) => {
    const target = repository(request);
    const number = numberParameter(request, 'number');
    if (!target.issue(number)) throw notFound();
    return paginate(listCommentsOfIssue(target, number, request.query), request, (comment) =>
      target.issueCommentPayload(comment, urls),
    );
  });

  get('/repos/:owner/:repo/pulls/comments', ({ request, urls }) => {
    const target = repository(request);
    return paginate(listReviewComments(target, request.query), request, (comment) =>
      target.reviewCommentPayload(comment, urls),
    );
  });

  get('/repos/:owner/:repo/pulls', ({ request, urls }) => {
    const target = repository(request);
    // The repository renders into every item twice (head and base): derive it once per page.
    const fields = target.repositoryFields();
    return paginate(listPulls(target, request.query), request, (record) =>
      target.pullRequestPayload(record, urls, fields),
    );
  });

  get('/repos/:owner/:repo/pulls/:number', ({ request, urls }) => {
    const target = repository(request);
    const record = target.issue(numberParameter(request, 'number'));
    if (!record?.pull) throw notFound();
    return { body: target.pullRequestDetailPayload(record, urls) };
  });

  get('/repos/:owner/:repo/pulls/:number/commits', ({ request, urls }) => {
    const { target, pull } = pullRequest(repository(request), request);
    // GitHub lists at most 250 commits of a pull request, oldest first.
    return paginate(pull.commits.slice(0, 250), request, (commit) => target.commitPayload(commit, urls));
  });

  get('/repos/:owner/:repo/pulls/:number/reviews', ({ request, login, urls }) => {
    const { target, pull } = pullRequest(repository(request), request);
    // A review not yet submitted is its author's draft: nobody else sees it.
    const visible = pull.reviews.filter((review) => review.state !== 'PENDING' || review.author === login);
    return paginate(visible, request, (review) => target.reviewPayload(review, urls));
  });

  get('/repos/:owner/:repo/pulls/:number/comments', ({ request, urls }) => {
    const { target, pull } = pullRequest(repository(request), request);
    const since = parseTime(request.query, 'since');
    const comments =
      since === undefined ? pull.reviewComments : pull.reviewComments.filter((comment) => comment.updatedAt >= since);
    return paginate(comments, request, (comment) => target.reviewCommentPayload(comment, urls));
  });

  get('/repos/:owner/:repo/commits', ({ request, urls }) => {
    const target = repository(request);
    const listing = listCommits(target, request.query);
    if ('problem' in listing) {
      throw listing.problem === 'empty-repository'
        ? new HttpError(409, {
            message: 'Git Repository is empty.',
            documentation_url: DOCUMENTATION_URL,
            status: '409',
          })
        : new HttpError(404, {
            message: `No commit found for SHA: ${request.query.get('sha')}`,
            documentation_url: DOCUMENTATION_URL,
            status: '404',
          });
    }
    return paginate(listing.commits, request, (commit) => target.commitPayload(commit, urls));
  });

  get('/repos/:owner/:repo/branches/:branch', ({ request, urls }) => {
    const target = repository(request);
    const name = request.params.branch ?? '';
    const isBranch =
      name === target.metadata.defaultBranch || target.issues.some((record) => record.pull?.headRef === name);
    const commit = isBranch ? resolveRef(target, name) : undefined;
    if (!commit) {
      throw new HttpError(404, { message: 'Branch not found', documentation_url: DOCUMENTATION_URL, status: '404' });
    }
    const branchUrl = `${urls.baseUrl}/repos/${target.fullName}/branches/${encodeURIComponent(name)}`;
    return {
      body: {
        name,
        commit: target.commitPayload(commit, urls),
        _links: { self: branchUrl, html: `${urls.webUrl}/${target.fullName}/tree/${name}` },
        protected: name === target.metadata.defaultBranch,
        protection_url: `${branchUrl}/protection`,
      },
    };
  });

  get('/repos/:owner/:repo/compare/:basehead', ({ request, urls }) => {
    const target = repository(request);
    const [base, head, extra] = (request.params.basehead ?? '').split('...');
    const comparison = base && head && extra === undefined ? compareCommits(target, base, head) : undefined;
    if (!comparison) throw notFound();
    // Without paging parameters GitHub answers the first 250 commits; with them, pages of up to 100.
    const paged = request.query.has('page') || request.query.has('per_page');
    const page = paged
      ? paginate(comparison.commits, request, (commit) => target.commitPayload(commit, urls))
      : { body: comparison.commits.slice(0, 250).map((commit) => target.commitPayload(commit, urls)) };
    const repositoryUrl = `${urls.baseUrl}/repos/${target.fullName}`;
    const webUrl = `${urls.webUrl}/${target.fullName}`;
    const range = `${comparison.base.sha}...${comparison.head.sha}`;
    return {
      ...page,
      body: {
        url: `${repositoryUrl}/compare/${request.params.basehead}`,
        html_url: `${webUrl}/compare/${request.params.basehead}`,
        permalink_url: `${webUrl}/compare/${range}`,
        diff_url: `${webUrl}/compare/${request.params.basehead}.diff`,
        patch_url: `${webUrl}/compare/${request.params.basehead}.patch`,
        base_commit: target.commitPayload(comparison.base, urls),
        merge_base_commit: comparison.mergeBase ? target.commitPayload(comparison.mergeBase, urls) : null,
        status: comparison.status,
        ahead_by: comparison.aheadBy,
        behind_by: comparison.behindBy,
        total_commits: comparison.aheadBy,
        commits: page.body,
        // The fake keeps no file changes; GitHub lists them on the first page only.
        files: [],
      },
    };
  });

  // --- Actions --------------------------------------------------------------------------------

  get('/repos/:owner/:repo/actions/workflows', ({ request, urls }) => {
    const target = repository(request);
    const workflows = target.workflowPayloads(urls);
    const page = paginate(workflows, request, (workflow) => workflow);
    return { ...page, body: { total_count: workflows.length, workflows: page.body } };
  });

  get('/repos/:owner/:repo/actions/runs', ({ request, urls }) => {
    const target = repository(request);
    const runs = listRuns(target, request.query);
    const fields = target.repositoryFields();
    const excludePulls = request.query.get('exclude_pull_requests') === 'true';
    const page = paginate(runs, request, (run) => {
      const payload = target.workflowRunPayload(run, urls, fields);
      return excludePulls ? { ...payload, pull_requests: [] } : payload;
    });
    return { ...page, body: { total_count: runs.length, workflow_runs: page.body } };
  });

  get('/repos/:owner/:repo/actions/runs/:run_id', ({ request, urls }) => {
    const target = repository(request);
    const run = target.run(numberParameter(request, 'run_id'));
    if (!run) throw notFound();
    return { body: target.workflowRunPayload(run, urls) };
  });

  get('/repos/:owner/:repo/actions/runs/:run_id/jobs', ({ request, urls }) => {
    const target = repository(request);
    const run = target.run(numberParameter(request, 'run_id'));
    if (!run) throw notFound();
    const page = paginate(run.jobs, request, (job) => target.workflowJobPayload(run, job, urls));
    return { ...page, body: { total_count: run.jobs.length, jobs: page.body } };
  });

  // --- Deployments ----------------------------------------------------------------------------

  get('/repos/:owner/:repo/deployments', ({ request, urls }) => {
    const target = repository(request);
    return paginate(listDeployments(target, request.query), request, (deployment) =>
      target.deploymentPayload(deployment, urls),
    );
  });

  get('/repos/:owner/:repo/deployments/:id', ({ request, urls }) => {
    const target = repository(request);
    const deployment = target.deployment(numberParameter(request, 'id'));
    if (!deployment) throw notFound();
    return { body: target.deploymentPayload(deployment, urls) };
  });

  get('/repos/:owner/:repo/deployments/:id/statuses', ({ request, urls }) => {
    const target = repository(request);
    const deployment = target.deployment(numberParameter(request, 'id'));
    if (!deployment) throw notFound();
    const newestFirst = [...deployment.statuses].reverse();
    return paginate(newestFirst, request, (status) => target.deploymentStatusPayload(deployment, status, urls));
  });

  return fake;
}

/** Serves `items` as `paginateByLink` does, rendering only the page it returns. */
function paginate<T>(items: readonly T[], request: FakeRequest, render: (item: T) => unknown): FakeResponse {
  const response = paginateByLink(items, request);
  const page = response.body as readonly T[];
  return { ...response, body: page.map(render) };
}

/** Drops a `page` or `per_page` that is not a positive integer, as GitHub falls back to its defaults. */
function normalizePaging(request: FakeRequest): FakeRequest {
  const invalid = (name: string) => {
    const value = request.query.get(name);
    return value !== null && !/^[1-9]\d*$/.test(value);
  };
  if (!invalid('page') && !invalid('per_page')) return request;
  const query = new URLSearchParams(request.query);
  for (const name of ['page', 'per_page']) if (invalid(name)) query.delete(name);
  return { ...request, query };
}

function findRepository(catalog: Catalog, request: FakeRequest): GithubDataset {
  const found = catalog.repositories.get(`${request.params.owner}/${request.params.repo}`.toLowerCase());
  if (!found) throw notFound();
  return found;
}

function numberParameter(request: FakeRequest, name: string): number {
  const value = request.params[name] ?? '';
  if (!/^\d+$/.test(value)) throw notFound();
  return Number(value);
}

function pullRequest(target: GithubDataset, request: FakeRequest) {
  const pull = target.issue(numberParameter(request, 'number'))?.pull;
  if (!pull) throw notFound();
  return { target, pull };
}

/** Orders repositories by `sort` (created, updated, pushed, full_name) and `direction` (asc for full_name, else desc). */
function sortRepositories(
  repositories: readonly GithubDataset[],
  query: URLSearchParams,
  defaultSort: 'created' | 'full_name',
): GithubDataset[] {
  const sortParameter = query.get('sort');
  const sort =
    sortParameter === 'created' ||
    sortParameter === 'updated' ||
    sortParameter === 'pushed' ||
    sortParameter === 'full_name'
      ? sortParameter
      : defaultSort;
  const directionParameter = query.get('direction');
  const direction =
    directionParameter === 'asc' || directionParameter === 'desc'
      ? directionParameter
      : sort === 'full_name'
        ? 'asc'
        : 'desc';
  const sign = direction === 'asc' ? 1 : -1;
  const keyed = repositories.map((repository) => {
    const fields = repository.repositoryFields();
    const time = sort === 'created' ? fields.createdAt : sort === 'updated' ? fields.updatedAt : fields.pushedAt;
    return { repository, time: new Date(time ?? 0).getTime() };
  });
  keyed.sort((left, right) =>
    sort === 'full_name'
      ? sign * left.repository.fullName.toLowerCase().localeCompare(right.repository.fullName.toLowerCase())
      : sign * (left.time - right.time) || left.repository.repoId - right.repository.repoId,
  );
  return keyed.map((entry) => entry.repository);
}

function countUsage(usage: Map<string, { windowStart: number; used: number }>, token: string): void {
  const now = Date.now();
  const window = usage.get(token);
  if (!window || now >= window.windowStart + HOUR) usage.set(token, { windowStart: now, used: 1 });
  else window.used += 1;
}

function withCommonHeaders(response: FakeResponse): FakeResponse {
  return {
    ...response,
    headers: {
      ...COMMON_HEADERS,
      'x-github-request-id': createHash('md5').update(`${Date.now()}:${Math.random()}`).digest('hex').slice(0, 20),
      ...response.headers,
    },
  };
}

/**
 * Adds a weak ETag to a successful answer and turns a matching `If-None-Match` into a 304. The tag
 * hashes the dataset version with the request, which changes exactly when the body could.
 */
function withEtag(request: FakeRequest, login: string, version: number, response: FakeResponse): FakeResponse {
  if ((response.status ?? 200) !== 200) return response;
  const etag = `W/"${createHash('sha1').update(`${version}:${login}:${request.path}?${request.query}`).digest('hex')}"`;
  const headers = { ...response.headers, etag };
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag)) {
    return { status: 304, headers };
  }
  return { ...response, headers };
}
