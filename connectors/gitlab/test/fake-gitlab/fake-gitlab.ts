import { type FakeRequest, type FakeResponse, recordTestedVersion, startFakeApi } from '@lake/testkit/fake-api';
import type {
  CommitRecord,
  DeploymentRecord,
  EnvironmentRecord,
  GitlabDataset,
  GitlabUser,
  IssueRecord,
  JobRecord,
  MergeRequestRecord,
  NoteRecord,
  PipelineRecord,
} from './dataset.js';
import { gitlabKeysetPage, gitlabOffsetPage } from './pagination.js';

export const TOKEN = 'glpat-valid-0123456789abcdef';
export const REVOKED_TOKEN = 'glpat-revoked-0000000000000';
/** A token without the `read_api` scope: GitLab answers 403 `insufficient_scope`. */
export const NO_SCOPE_TOKEN = 'glpat-noscope-111111111111';

export interface FakeGitlabOptions {
  port?: number;
  /** Requests per token and window (`RateLimit-Limit`); GitLab.com allows 2,000 a minute. Default 100,000. */
  limit?: number;
  windowMs?: number;
  /** Requests per window to the pipelines API (pipelines and jobs), a throttle of its own. Default none. */
  pipelinesLimit?: number;
}

const iso = (at: number | null | undefined) => (at === null || at === undefined ? null : new Date(at).toISOString());
const fail = (status: number, body: unknown): FakeResponse => ({ status, body });
const notFound = (what: string) => fail(404, { message: `404 ${what} Not Found` });

/**
 * A fake GitLab on 127.0.0.1, written from GitLab's REST reference rather than from what the
 * connector asks: `PRIVATE-TOKEN` auth, offset pagination with `X-*` headers and `Link` (totals
 * left out above 10,000 records), keyset pagination for `/groups`, `RateLimit-*` headers on every
 * answer and 429 + `Retry-After` (the pipelines API throttled on its own), GitLab's error bodies
 * (`{"message": …}`, `{"error": …}`), listings ordered by `order_by`/`sort` with GitLab's defaults
 * and ties broken by id. The testkit's hostility (reordered or repeated pages, edits while paging)
 * and faults apply to it.
 */
export async function startFakeGitlab(dataset: GitlabDataset, options: FakeGitlabOptions = {}) {
  const api = await startFakeApi({ port: options.port ?? 0 });
  const base = `${api.url}/api/v4`;
  const webBase = `${api.url}/${dataset.project.path_with_namespace}`;
  const limit = options.limit ?? 100_000;
  const windowMs = options.windowMs ?? 60_000;
  const windows = new Map<string, { start: number; used: number }>();
  let pipelinesWindow = { start: Date.now(), used: 0 };

  const user = (account: GitlabUser | null) =>
    account && {
      id: account.id,
      username: account.username,
      name: account.name,
      state: account.state,
      avatar_url: `${api.url}/uploads/${account.username}.png`,
      web_url: `${api.url}/${account.username}`,
    };
  const commitJson = (commit: CommitRecord) => ({
    ...commit,
    authored_date: iso(commit.authored_date),
    committed_date: iso(commit.committed_date),
    created_at: iso(commit.committed_date),
    web_url: `${webBase}/-/commit/${commit.id}`,
  });
  const mergeRequestJson = (record: MergeRequestRecord) => {
    const { commits: _commits, notes: _notes, approved_by: _approvedBy, ...fields } = record;
    return {
      ...fields,
      project_id: dataset.project.id,
      source_project_id: dataset.project.id,
      target_project_id: dataset.project.id,
      author: user(record.author),
      merged_by: user(record.merged_by),
      created_at: iso(record.created_at),
      updated_at: iso(record.updated_at),
      merged_at: iso(record.merged_at),
      closed_at: iso(record.closed_at),
      web_url: `${webBase}/-/merge_requests/${record.iid}`,
    };
  };
  const issueJson = (record: IssueRecord) => ({
    id: record.id,
    iid: record.iid,
    project_id: dataset.project.id,
    title: record.title,
    description: record.description,
    state: record.state,
    issue_type: record.issue_type,
    labels: record.labels,
    author: user(record.author),
    assignee: user(record.assignees[0] ?? null),
    assignees: record.assignees.map(user),
    weight: record.weight,
    time_stats: { time_estimate: record.time_estimate, total_time_spent: record.total_time_spent },
    created_at: iso(record.created_at),
    updated_at: iso(record.updated_at),
    closed_at: iso(record.closed_at),
    due_date: null,
    web_url: `${webBase}/-/issues/${record.iid}`,
  });
  const pipelineJson = (record: PipelineRecord) => ({
    id: record.id,
    iid: record.iid,
    project_id: dataset.project.id,
    sha: record.sha,
    ref: record.ref,
    status: record.status,
    source: record.source,
    created_at: iso(record.created_at),
    updated_at: iso(record.updated_at),
    web_url: `${webBase}/-/pipelines/${record.id}`,
  });
  const jobJson = (job: JobRecord, pipeline: { id: number; ref: string; sha: string; status: string }) => ({
    id: job.id,
    name: job.name,
    stage: job.stage,
    status: job.status,
    ref: pipeline.ref,
    created_at: iso(job.created_at),
    started_at: iso(job.started_at),
    finished_at: iso(job.finished_at),
    duration: job.started_at && job.finished_at ? (job.finished_at - job.started_at) / 1000 : null,
    web_url: `${webBase}/-/jobs/${job.id}`,
    pipeline: {
      id: pipeline.id,
      project_id: dataset.project.id,
      ref: pipeline.ref,
      sha: pipeline.sha,
      status: pipeline.status,
    },
  });
  const environmentBasic = (record: EnvironmentRecord) => ({
    id: record.id,
    name: record.name,
    slug: record.name.replace(/\W+/g, '-'),
    external_url: `https://${record.name.replace(/\W+/g, '-')}.example.com`,
    created_at: iso(record.created_at),
    updated_at: iso(record.updated_at),
  });
  const deploymentJson = (record: DeploymentRecord) => ({
    id: record.id,
    iid: record.iid,
    ref: record.ref,
    sha: record.sha,
    status: record.status,
    created_at: iso(record.created_at),
    updated_at: iso(record.updated_at),
    user: user(dataset.users[0] ?? null),
    // GitLab's EnvironmentBasic: no tier (the environments listing has it).
    environment: environmentBasic(record.environment),
    deployable: {
      ...jobJson(record.job, { id: record.pipelineId, ref: record.ref, sha: record.sha, status: record.status }),
      commit: { id: record.sha, title: `Deploy ${record.sha.slice(0, 8)}` },
    },
  });

  /** GitLab's rate-limit headers for the token, and whether its window is spent. */
  const quota = (token: string) => {
    const now = Date.now();
    let window = windows.get(token);
    if (!window || now - window.start >= windowMs) {
      window = { start: now, used: 0 };
      windows.set(token, window);
    }
    window.used += 1;
    const reset = Math.ceil((window.start + windowMs) / 1000);
    return {
      spent: window.used > limit,
      retryAfter: Math.max(1, reset - Math.floor(now / 1000)),
      headers: {
        'ratelimit-limit': limit,
        'ratelimit-observed': Math.min(window.used, limit),
        'ratelimit-remaining': Math.max(0, limit - window.used),
        'ratelimit-reset': reset,
        'ratelimit-resettime': new Date(reset * 1000).toUTCString(),
      },
    };
  };
  const throttled = (request: FakeRequest, retryAfter: number, headers: Record<string, string | number> = {}) => ({
    status: 429,
    headers: { ...headers, ...(request.hostility?.dropRetryAfter ? {} : { 'retry-after': retryAfter }) },
    body: 'Retry later\n',
  });
  const pipelinesThrottle = (request: FakeRequest): FakeResponse | undefined => {
    if (options.pipelinesLimit === undefined || !/\/pipelines(\/|$)/.test(request.path)) return undefined;
    const now = Date.now();
    if (now - pipelinesWindow.start >= windowMs) pipelinesWindow = { start: now, used: 0 };
    pipelinesWindow.used += 1;
    if (pipelinesWindow.used <= options.pipelinesLimit) return undefined;
    return throttled(request, Math.max(1, Math.ceil((pipelinesWindow.start + windowMs - now) / 1000)));
  };

  const route = (path: string, handler: (request: FakeRequest) => FakeResponse) => {
    api.route('GET', `/api/v4${path}`, (request) => {
      const token = request.headers['private-token'];
      const value = Array.isArray(token) ? token[0] : token;
      if (value !== TOKEN && value !== NO_SCOPE_TOKEN) return fail(401, { message: '401 Unauthorized' });
      recordTestedVersion('GitLab REST API', 'v4');
      const counted = quota(value);
      if (counted.spent) return throttled(request, counted.retryAfter, counted.headers);
      if (value === NO_SCOPE_TOKEN && path !== '/user' && path !== '/personal_access_tokens/self') {
        return {
          status: 403,
          headers: counted.headers,
          body: {
            error: 'insufficient_scope',
            error_description: 'The request requires higher privileges than provided by the access token.',
            scope: 'api read_api',
          },
        };
      }
      const answer = pipelinesThrottle(request) ?? handler(request);
      return { ...answer, headers: { ...counted.headers, ...answer.headers } };
    });
  };
  const isProject = (id: string) =>
    id === String(dataset.project.id) || id.toLowerCase() === dataset.project.path_with_namespace.toLowerCase();
  const projectRoute = (path: string, handler: (request: FakeRequest) => FakeResponse) =>
    route(`/projects/:id${path}`, (request) =>
      isProject(request.params.id!) ? handler(request) : notFound('Project'),
    );

  route('/user', (request) => {
    const token = request.headers['private-token'];
    return { body: { id: 1, username: token === NO_SCOPE_TOKEN ? 'scoped-bot' : 'lake-bot', name: 'Lake Bot' } };
  });
  route('/personal_access_tokens/self', (request) => ({
    body: {
      id: 7,
      name: 'lake',
      revoked: false,
      active: true,
      user_id: 1,
      scopes: request.headers['private-token'] === NO_SCOPE_TOKEN ? ['read_user'] : ['read_api', 'read_repository'],
      created_at: '2026-01-01T00:00:00.000Z',
      expires_at: '2027-01-01',
    },
  }));

  const groups = [
    { id: 10, name: 'lake', full_path: 'lake', parent_id: null },
    { id: 11, name: 'platform', full_path: 'lake/platform', parent_id: 10 },
    ...Array.from({ length: 120 }, (_, index) => ({
      id: 1000 + index,
      name: `team-${String(index).padStart(3, '0')}`,
      full_path: `team-${String(index).padStart(3, '0')}`,
      parent_id: null,
    })),
  ];
  route('/groups', (request) => {
    const listed = groups.filter((group) => request.query.get('top_level_only') !== 'true' || group.parent_id === null);
    if (request.query.get('pagination') === 'keyset') {
      if ((request.query.get('order_by') ?? 'name') !== 'name' || request.query.get('sort') === 'desc')
        return fail(405, { error: 'Keyset pagination is not yet available for this type of request' });
      return gitlabKeysetPage(listed, request, (group) => group.name);
    }
    return gitlabOffsetPage(listed, request);
  });
  route('/groups/:group/subgroups', (request) => {
    const parent = groups.find(
      (group) => String(group.id) === request.params.group || group.full_path === request.params.group,
    );
    if (!parent) return notFound('Group');
    return gitlabOffsetPage(
      groups.filter((group) => group.parent_id === parent.id),
      request,
    );
  });
  route('/groups/:group/projects', (request) => {
    const parent = groups.find(
      (group) => String(group.id) === request.params.group || group.full_path === request.params.group,
    );
    if (!parent) return notFound('Group');
    const projects =
      parent.id === 11 ? [{ id: dataset.project.id, path_with_namespace: dataset.project.path_with_namespace }] : [];
    return gitlabOffsetPage(projects, request);
  });

  projectRoute('', () => ({
    body: {
      ...dataset.project,
      created_at: iso(dataset.project.created_at),
      last_activity_at: iso(dataset.project.last_activity_at),
      web_url: webBase,
    },
  }));
  projectRoute('/members/all', (request) => gitlabOffsetPage(dataset.users.map(user), request));

  projectRoute('/merge_requests', (request) => {
    const state = request.query.get('state') ?? 'all';
    const listed = ordered(
      dataset.mergeRequests.filter((record) => state === 'all' || record.state === state),
      request,
      { default: 'created_at', allowed: ['created_at', 'updated_at', 'title'], defaultSort: 'desc' },
    );
    return Array.isArray(listed) ? gitlabOffsetPage(listed.map(mergeRequestJson), request) : listed;
  });
  projectRoute('/merge_requests/:iid/commits', (request) => {
    const record = dataset.mergeRequest(Number(request.params.iid));
    return record
      ? gitlabOffsetPage([...record.commits].reverse().map(commitJson), request)
      : notFound('Merge Request');
  });
  /** A noteable's notes (`/notes` of merge requests and issues): newest first unless asked otherwise. */
  const notesPage = (notes: readonly NoteRecord[], noteable: { type: string; iid: number }, request: FakeRequest) => {
    const listed = ordered(notes, request, {
      default: 'created_at',
      allowed: ['created_at', 'updated_at'],
      defaultSort: 'desc',
    });
    if (!Array.isArray(listed)) return listed;
    return gitlabOffsetPage(
      listed.map((note) => ({
        ...note,
        author: user(note.author),
        noteable_type: noteable.type,
        noteable_iid: noteable.iid,
        created_at: iso(note.created_at),
        updated_at: iso(note.updated_at),
      })),
      request,
    );
  };
  projectRoute('/merge_requests/:iid/notes', (request) => {
    const record = dataset.mergeRequest(Number(request.params.iid));
    return record
      ? notesPage(record.notes, { type: 'MergeRequest', iid: record.iid }, request)
      : notFound('Merge Request');
  });
  projectRoute('/merge_requests/:iid/approvals', (request) => {
    const record = dataset.mergeRequest(Number(request.params.iid));
    if (!record) return notFound('Merge Request');
    return {
      body: {
        id: record.id,
        iid: record.iid,
        project_id: dataset.project.id,
        title: record.title,
        state: record.state,
        created_at: iso(record.created_at),
        updated_at: iso(record.updated_at),
        merge_status: 'can_be_merged',
        approved: record.approved_by.length > 0,
        approvals_required: 0,
        approvals_left: 0,
        approved_by: record.approved_by.map((approver) => ({ user: user(approver) })),
      },
    };
  });
  projectRoute('/issues/:iid/notes', (request) => {
    const record = dataset.issues.find((issue) => issue.iid === Number(request.params.iid));
    return record ? notesPage(record.notes, { type: 'Issue', iid: record.iid }, request) : notFound('Issue');
  });

  projectRoute('/issues', (request) => {
    const state = request.query.get('state') ?? 'all';
    const listed = ordered(
      dataset.issues.filter((record) => state === 'all' || record.state === state),
      request,
      { default: 'created_at', allowed: ['created_at', 'updated_at', 'priority', 'due_date'], defaultSort: 'desc' },
    );
    return Array.isArray(listed) ? gitlabOffsetPage(listed.map(issueJson), request) : listed;
  });

  projectRoute('/repository/branches/:branch', (request) => {
    const head = dataset.head;
    if (request.params.branch !== dataset.project.default_branch || !head) return notFound('Branch');
    return { body: { name: dataset.project.default_branch, default: true, protected: true, commit: commitJson(head) } };
  });
  projectRoute('/repository/commits', (request) => {
    const ref = request.query.get('ref_name') ?? dataset.project.default_branch;
    const end =
      ref === dataset.project.default_branch
        ? dataset.commits.length - 1
        : dataset.commits.findIndex((commit) => commit.id === ref);
    if (end < 0) return notFound('Reference');
    const since = request.query.get('since');
    const reachable = dataset.commits
      .slice(0, end + 1)
      .filter((commit) => !since || commit.committed_date >= Date.parse(since))
      .reverse();
    return gitlabOffsetPage(reachable.map(commitJson), request);
  });
  projectRoute('/repository/compare', (request) => {
    const from = dataset.commits.findIndex((commit) => commit.id === request.query.get('from'));
    const to = dataset.commits.findIndex((commit) => commit.id === request.query.get('to'));
    if (from < 0 || to < 0) return notFound('Ref');
    const commits = dataset.commits.slice(from + 1, to + 1).map(commitJson);
    return {
      body: {
        commit: commits.at(-1) ?? null,
        commits,
        diffs: [],
        compare_timeout: false,
        compare_same_ref: from === to,
      },
    };
  });

  projectRoute('/pipelines', (request) => {
    const listed = ordered(dataset.pipelines, request, {
      default: 'id',
      allowed: ['id', 'status', 'ref', 'updated_at', 'user_id'],
      defaultSort: 'desc',
    });
    return Array.isArray(listed) ? gitlabOffsetPage(listed.map(pipelineJson), request) : listed;
  });
  projectRoute('/pipelines/:pipeline/jobs', (request) => {
    const pipeline = dataset.pipeline(Number(request.params.pipeline));
    if (!pipeline) return notFound('Pipeline');
    return gitlabOffsetPage(
      [...pipeline.jobs].reverse().map((job) => jobJson(job, pipeline)),
      request,
    );
  });

  projectRoute('/environments', (request) => {
    const states = request.query.get('states');
    const listed = dataset.environments.filter((record) => !states || record.state === states);
    return gitlabOffsetPage(
      listed.map((record) => ({ ...environmentBasic(record), state: record.state, tier: record.tier })),
      request,
    );
  });
  projectRoute('/deployments', (request) => {
    if (request.query.has('updated_after') && request.query.get('order_by') !== 'updated_at') {
      return fail(400, { message: '`updated_at` filter and `updated_at` sorting must be paired' });
    }
    const listed = ordered(dataset.deployments, request, {
      default: 'id',
      allowed: ['id', 'iid', 'created_at', 'updated_at', 'finished_at', 'ref'],
      defaultSort: 'asc',
    });
    return Array.isArray(listed) ? gitlabOffsetPage(listed.map(deploymentJson), request) : listed;
  });

  return { api, url: base, dataset, close: () => api.close() };
}

export type FakeGitlab = Awaited<ReturnType<typeof startFakeGitlab>>;

interface Dated {
  id: number;
  created_at: number;
  updated_at: number;
}

/**
 * `updated_after`/`updated_before`/`created_after`/`created_before` (inclusive, as GitLab's) and
 * `order_by`/`sort` with the endpoint's defaults, ties broken by id; a 400 naming the parameter for
 * an `order_by` the endpoint does not take.
 */
function ordered<T extends Dated>(
  records: readonly T[],
  request: FakeRequest,
  rules: { default: string; allowed: string[]; defaultSort: 'asc' | 'desc' },
): T[] | FakeResponse {
  const orderBy = request.query.get('order_by') ?? rules.default;
  if (!rules.allowed.includes(orderBy)) return fail(400, { error: 'order_by does not have a valid value' });
  const sort = request.query.get('sort') ?? rules.defaultSort;
  if (sort !== 'asc' && sort !== 'desc') return fail(400, { error: 'sort does not have a valid value' });
  const bound = (name: string) => {
    const value = request.query.get(name);
    return value === null ? undefined : Date.parse(value);
  };
  const [updatedAfter, updatedBefore, createdAfter, createdBefore] = [
    bound('updated_after'),
    bound('updated_before'),
    bound('created_after'),
    bound('created_before'),
  ];
  for (const value of [updatedAfter, updatedBefore, createdAfter, createdBefore]) {
    if (value !== undefined && Number.isNaN(value)) return fail(400, { error: 'updated_after is invalid' });
  }
  const key = (record: T): number | string => {
    if (orderBy === 'updated_at') return record.updated_at;
    if (orderBy === 'created_at') return record.created_at;
    if (orderBy === 'id' || orderBy === 'iid') return record.id;
    const value = (record as unknown as Record<string, unknown>)[orderBy];
    return typeof value === 'number' ? value : String(value ?? '');
  };
  const direction = sort === 'asc' ? 1 : -1;
  return records
    .filter(
      (record) =>
        (updatedAfter === undefined || record.updated_at >= updatedAfter) &&
        (updatedBefore === undefined || record.updated_at <= updatedBefore) &&
        (createdAfter === undefined || record.created_at >= createdAfter) &&
        (createdBefore === undefined || record.created_at <= createdBefore),
    )
    .sort((left, right) => {
      const [a, b] = [key(left), key(right)];
      const order = a < b ? -1 : a > b ? 1 : 0;
      return (order || left.id - right.id) * direction;
    });
}
