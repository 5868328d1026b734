import type {
  CommitRecord,
  DeploymentRecord,
  GithubDataset,
  IssueCommentRecord,
  IssueRecord,
  ReviewCommentRecord,
  RunRecord,
} from './dataset.js';

/**
 * The listing semantics of GitHub's REST endpoints, over a dataset's records: which records a
 * query selects and in what order. Orderings are sorted once per dataset version and cached, so
 * paging through 10,000 issues costs one sort, then a filter and a slice per page.
 */

export type Direction = 'asc' | 'desc';

/** A query GitHub would refuse with 422 Validation Failed. */
export class InvalidQueryError extends Error {}

const sortCache = new WeakMap<GithubDataset, Map<string, { version: number; items: readonly unknown[] }>>();

function cachedSort<T>(dataset: GithubDataset, key: string, compute: () => T[]): readonly T[] {
  let cache = sortCache.get(dataset);
  if (!cache) {
    cache = new Map();
    sortCache.set(dataset, cache);
  }
  const hit = cache.get(key);
  if (hit && hit.version === dataset.version) return hit.items as readonly T[];
  const items = compute();
  cache.set(key, { version: dataset.version, items });
  return items;
}

/** Sorts by a numeric key, ties broken by a second key in the same direction, so every order is total. */
function byKey<T>(key: (item: T) => number, tieBreak: (item: T) => number, direction: Direction) {
  const sign = direction === 'asc' ? 1 : -1;
  return (left: T, right: T) => sign * (key(left) - key(right) || tieBreak(left) - tieBreak(right));
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** Parses `since`/`until` (ISO 8601); an unparseable value is a 422, as GitHub answers. */
export function parseTime(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new InvalidQueryError(`Invalid value for \`${name}\`: ${value}`);
  return time;
}

// ---------------------------------------------------------------------------------------------
// Issues and pull requests

/**
 * `GET /repos/{owner}/{repo}/issues`: issues and pull requests, `state` (default open), `sort`
 * created|updated|comments (default created), `direction` (default desc), `since` (updated at or
 * after), `labels` (all of them), `creator`, `assignee` (login, `none`, `*`), `milestone`
 * (number, `none`, `*`).
 */
export function listIssues(dataset: GithubDataset, query: URLSearchParams): IssueRecord[] {
  const state = oneOf(query.get('state'), ['open', 'closed', 'all'], 'open');
  const sort = oneOf(query.get('sort'), ['created', 'updated', 'comments'], 'created');
  const direction = oneOf(query.get('direction'), ['asc', 'desc'], 'desc');
  const since = parseTime(query, 'since');
  const labels =
    query
      .get('labels')
      ?.split(',')
      .map((label) => label.trim())
      .filter(Boolean) ?? [];
  const creator = query.get('creator');
  const assignee = query.get('assignee');
  const milestone = query.get('milestone');
  const ordered = cachedSort(dataset, `issues:${sort}:${direction}`, () =>
    dataset.issues
      .filter((record) => !record.deleted)
      .sort(
        byKey<IssueRecord>(
          sort === 'created'
            ? (record) => record.createdAt
            : sort === 'updated'
              ? (record) => record.updatedAt
              : (record) => record.comments,
          (record) => record.number,
          direction,
        ),
      ),
  );
  return ordered.filter(
    (record) =>
      (state === 'all' || record.state === state) &&
      (since === undefined || record.updatedAt >= since) &&
      labels.every((label) => record.labels.some((name) => name.toLowerCase() === label.toLowerCase())) &&
      (creator === null || record.author === creator) &&
      (assignee === null ||
        (assignee === 'none'
          ? record.assignees.length === 0
          : assignee === '*'
            ? record.assignees.length > 0
            : record.assignees.includes(assignee))) &&
      (milestone === null ||
        (milestone === 'none'
          ? record.milestone === null
          : milestone === '*'
            ? record.milestone !== null
            : record.milestone === Number(milestone))),
  );
}

/**
 * `GET /repos/{owner}/{repo}/pulls`: `state` (default open), `sort` created|updated|popularity|long-running
 * (default created), `direction` (default desc for created, asc otherwise, as documented), `base`,
 * `head` (`owner:ref`). GitHub has no `since` here.
 */
export function listPulls(dataset: GithubDataset, query: URLSearchParams): IssueRecord[] {
  const state = oneOf(query.get('state'), ['open', 'closed', 'all'], 'open');
  const sort = oneOf(query.get('sort'), ['created', 'updated', 'popularity', 'long-running'], 'created');
  const direction = oneOf(query.get('direction'), ['asc', 'desc'], sort === 'created' ? 'desc' : 'asc');
  const base = query.get('base');
  const head = query.get('head');
  const key =
    sort === 'updated'
      ? (record: IssueRecord) => record.updatedAt
      : sort === 'popularity'
        ? (record: IssueRecord) => record.comments
        : (record: IssueRecord) => record.createdAt;
  const ordered = cachedSort(dataset, `pulls:${sort}:${direction}`, () =>
    dataset.issues
      .filter((record) => record.pull && !record.deleted)
      .sort(byKey(key, (record) => record.number, direction)),
  );
  return ordered.filter((record) => {
    const pull = record.pull!;
    return (
      (state === 'all' || record.state === state) &&
      (base === null || pull.baseRef === base) &&
      (head === null || `${dataset.owner}:${pull.headRef}` === head || pull.headRef === head)
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Comments

/**
 * The ordering GitHub gives the repository-wide comment listings: ascending by id without `sort`
 * (where `direction` is ignored), else by `created` or `updated` in `direction` (default desc);
 * `since` keeps comments updated at or after it.
 */
function commentOrder(query: URLSearchParams) {
  const sortParameter = query.get('sort');
  const sort = oneOf(sortParameter, ['created', 'updated'], 'created');
  const direction: Direction = sortParameter === null ? 'asc' : oneOf(query.get('direction'), ['asc', 'desc'], 'desc');
  return { sort, direction, since: parseTime(query, 'since') };
}

/** `GET /repos/{owner}/{repo}/issues/comments`: conversation comments of issues and pull requests. */
export function listIssueComments(dataset: GithubDataset, query: URLSearchParams): readonly IssueCommentRecord[] {
  const { sort, direction, since } = commentOrder(query);
  const ordered = cachedSort(dataset, `issue-comments:${sort}:${direction}`, () =>
    dataset.issueComments
      .filter((comment) => dataset.isVisible(comment))
      .sort(
        byKey<IssueCommentRecord>(
          sort === 'updated' ? (comment) => comment.updatedAt : (comment) => comment.createdAt,
          (comment) => comment.id,
          direction,
        ),
      ),
  );
  return since === undefined ? ordered : ordered.filter((comment) => comment.updatedAt >= since);
}

/** `GET /repos/{owner}/{repo}/issues/{number}/comments`: oldest first, `since` on updated_at. */
export function listCommentsOfIssue(dataset: GithubDataset, number: number, query: URLSearchParams) {
  const since = parseTime(query, 'since');
  const byIssue = cachedSort(dataset, 'issue-comments:by-issue', () => {
    const groups = new Map<number, IssueCommentRecord[]>();
    for (const comment of dataset.issueComments) {
      const group = groups.get(comment.issueNumber) ?? [];
      group.push(comment);
      groups.set(comment.issueNumber, group);
    }
    return [groups];
  })[0]!;
  const comments = byIssue.get(number) ?? [];
  return since === undefined ? comments : comments.filter((comment) => comment.updatedAt >= since);
}

/** `GET /repos/{owner}/{repo}/pulls/comments`: review comments of every pull request. */
export function listReviewComments(dataset: GithubDataset, query: URLSearchParams): readonly ReviewCommentRecord[] {
  const { sort, direction, since } = commentOrder(query);
  const ordered = cachedSort(dataset, `review-comments:${sort}:${direction}`, () =>
    dataset.reviewComments
      .filter((comment) => dataset.isVisible(comment))
      .sort(
        byKey<ReviewCommentRecord>(
          sort === 'updated' ? (comment) => comment.updatedAt : (comment) => comment.createdAt,
          (comment) => comment.id,
          direction,
        ),
      ),
  );
  return since === undefined ? ordered : ordered.filter((comment) => comment.updatedAt >= since);
}

// ---------------------------------------------------------------------------------------------
// Commits

/** Why a commit listing has nothing to show. */
export type CommitListingProblem = 'empty-repository' | 'unknown-sha';

/**
 * `GET /repos/{owner}/{repo}/commits`: the history reachable from `sha` (a branch, or a commit sha;
 * default the default branch), newest first, `since`/`until` on the committer date, `author`
 * (login or email).
 */
export function listCommits(
  dataset: GithubDataset,
  query: URLSearchParams,
): { commits: CommitRecord[] } | { problem: CommitListingProblem } {
  if (dataset.commits.length === 0) return { problem: 'empty-repository' };
  const since = parseTime(query, 'since');
  const until = parseTime(query, 'until');
  const author = query.get('author');
  const history = historyOf(dataset, query.get('sha') ?? dataset.metadata.defaultBranch);
  if (!history) return { problem: 'unknown-sha' };
  return {
    commits: history.filter(
      (commit) =>
        (since === undefined || commit.committedAt >= since) &&
        (until === undefined || commit.committedAt <= until) &&
        (author === null || commit.authorLogin === author || commit.authorEmail === author),
    ),
  };
}

/**
 * Commits reachable from a ref (a branch, a pull request's head branch, or a commit sha) through
 * every parent, merged branches included, as `git log` walks them: newest commit date first;
 * `undefined` for a ref the repository does not have.
 */
function historyOf(dataset: GithubDataset, ref: string): readonly CommitRecord[] | undefined {
  const tip = resolveRef(dataset, ref);
  return tip && cachedSort(dataset, `commits:reachable:${tip.sha}`, () => reachableFrom(dataset, tip));
}

/** The commit a branch (the default branch, a pull request's head branch) or a sha names. */
export function resolveRef(dataset: GithubDataset, ref: string): CommitRecord | undefined {
  if (ref === dataset.metadata.defaultBranch) return dataset.commits.at(-1);
  const pull = dataset.issues.find((record) => record.pull?.headRef === ref)?.pull;
  return dataset.findCommit(ref) ?? (pull && dataset.findCommit(pull.headSha));
}

/** What `GET /compare/{base}...{head}` tells: how the two relate, and the commits only `head` reaches. */
export interface Comparison {
  base: CommitRecord;
  head: CommitRecord;
  mergeBase: CommitRecord | undefined;
  status: 'ahead' | 'behind' | 'diverged' | 'identical';
  aheadBy: number;
  behindBy: number;
  /** Reachable from `head` but not from `base`, oldest first (GitHub lists them in chronological order). */
  commits: CommitRecord[];
}

/** `GET /repos/{owner}/{repo}/compare/{base}...{head}`; `undefined` when either ref is unknown (GitHub answers 404). */
export function compareCommits(dataset: GithubDataset, baseRef: string, headRef: string): Comparison | undefined {
  const base = resolveRef(dataset, baseRef);
  const head = resolveRef(dataset, headRef);
  if (!base || !head) return undefined;
  const fromBase = historyOf(dataset, base.sha)!;
  const fromHead = historyOf(dataset, head.sha)!;
  const inBase = new Set(fromBase.map((commit) => commit.sha));
  const inHead = new Set(fromHead.map((commit) => commit.sha));
  const ahead = fromHead.filter((commit) => !inBase.has(commit.sha)).reverse();
  const behindBy = fromBase.filter((commit) => !inHead.has(commit.sha)).length;
  return {
    base,
    head,
    mergeBase: fromHead.find((commit) => inBase.has(commit.sha)),
    status:
      ahead.length === 0 && behindBy === 0
        ? 'identical'
        : behindBy === 0
          ? 'ahead'
          : ahead.length === 0
            ? 'behind'
            : 'diverged',
    aheadBy: ahead.length,
    behindBy,
    commits: ahead,
  };
}

/** Every commit reachable from `tip`, newest commit date first (ties by sha). */
export function reachableFrom(dataset: GithubDataset, tip: CommitRecord): CommitRecord[] {
  const reached = new Map<string, CommitRecord>();
  const pending: CommitRecord[] = [tip];
  for (let commit = pending.pop(); commit; commit = pending.pop()) {
    if (reached.has(commit.sha)) continue;
    reached.set(commit.sha, commit);
    for (const parent of commit.parents) {
      const found = dataset.findCommit(parent);
      if (found && !reached.has(found.sha)) pending.push(found);
    }
  }
  return [...reached.values()].sort(
    (left, right) => right.committedAt - left.committedAt || left.sha.localeCompare(right.sha),
  );
}

// ---------------------------------------------------------------------------------------------
// Actions and deployments

/** A window on a creation time, from GitHub's search-style `created` filter. */
interface TimeWindow {
  from?: number;
  /** Exclusive. */
  to?: number;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Start and (exclusive) end of a date or date-time operand: a date covers its whole UTC day. */
function operand(text: string): { start: number; end: number } {
  const value = text.trim();
  const time = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(time)) throw new InvalidQueryError(`Invalid value for \`created\`: ${text}`);
  return { start: time, end: DATE_ONLY.test(value) ? time + 24 * 60 * 60 * 1000 : time + 1 };
}

/**
 * Parses `created` as GitHub's search syntax writes dates: `>=X`, `>X`, `<=X`, `<X`, `X..Y` (either
 * side `*`), or `X`, where X is `2024-01-01` or `2024-01-01T00:00:00Z`.
 */
export function parseCreatedFilter(value: string): TimeWindow {
  if (value.includes('..')) {
    const [left = '*', right = '*'] = value.split('..');
    return {
      from: left.trim() === '*' ? undefined : operand(left).start,
      to: right.trim() === '*' ? undefined : operand(right).end,
    };
  }
  const match = /^(>=|<=|>|<)?(.+)$/.exec(value.trim());
  const bound = operand(match?.[2] ?? value);
  switch (match?.[1]) {
    case '>=':
      return { from: bound.start };
    case '>':
      return { from: bound.end };
    case '<=':
      return { to: bound.end };
    case '<':
      return { to: bound.start };
    default:
      return { from: bound.start, to: bound.end };
  }
}

const RUN_STATUSES = ['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending', 'action_required'];

/**
 * `GET /repos/{owner}/{repo}/actions/runs`: newest first, `created`, `status` (a status or a
 * conclusion, as GitHub accepts both), `branch`, `event`, `actor`, `head_sha`.
 */
export function listRuns(dataset: GithubDataset, query: URLSearchParams): RunRecord[] {
  const created = query.get('created');
  const window = created ? parseCreatedFilter(created) : {};
  const status = query.get('status');
  const branch = query.get('branch');
  const event = query.get('event');
  const actor = query.get('actor');
  const headSha = query.get('head_sha');
  const ordered = cachedSort(dataset, 'runs:newest-first', () =>
    [...dataset.runs].sort(
      byKey(
        (run) => run.createdAt,
        (run) => run.id,
        'desc',
      ),
    ),
  );
  return ordered.filter(
    (run) =>
      (window.from === undefined || run.createdAt >= window.from) &&
      (window.to === undefined || run.createdAt < window.to) &&
      (status === null || (RUN_STATUSES.includes(status) ? run.status === status : run.conclusion === status)) &&
      (branch === null || run.headBranch === branch) &&
      (event === null || run.event === event) &&
      (actor === null || run.actor === actor) &&
      (headSha === null || run.headSha === headSha),
  );
}

/** `GET /repos/{owner}/{repo}/deployments`: newest first, `sha`, `ref`, `task`, `environment`. */
export function listDeployments(dataset: GithubDataset, query: URLSearchParams): DeploymentRecord[] {
  const filters = (['sha', 'ref', 'task', 'environment'] as const).flatMap((name) => {
    const value = query.get(name);
    return value === null ? [] : [[name, value] as const];
  });
  const ordered = cachedSort(dataset, 'deployments:newest-first', () =>
    [...dataset.deployments].sort(
      byKey(
        (deployment) => deployment.createdAt,
        (deployment) => deployment.id,
        'desc',
      ),
    ),
  );
  return ordered.filter((deployment) => filters.every(([name, value]) => deployment[name] === value));
}
