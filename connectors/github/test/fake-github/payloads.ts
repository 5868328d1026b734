/**
 * Factories for payloads in the shape GitHub's REST API (version 2022-11-28) returns them: the
 * same field names, nesting, nulls and URL templates, so a connector under test parses exactly
 * what it would parse in production. Every factory takes plain fields plus the URLs to render
 * links with, so the links point at whichever fake server serves them.
 */

/** Where links point: `baseUrl` for API links (`url`, `*_url`), `webUrl` for `html_url`. */
export interface PayloadUrls {
  /** API root, including any `/api/v3` prefix, e.g. `http://127.0.0.1:4000/api/v3`. */
  baseUrl: string;
  /** Web root, e.g. `https://github.example.com`. */
  webUrl: string;
}

/** A moment as a `Date`, epoch milliseconds, or an ISO string. */
export type TimeInput = Date | number | string;

/** Formats a moment as GitHub does: ISO 8601 in UTC without milliseconds (`2024-05-01T10:00:00Z`). */
export function githubTime(value: TimeInput): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `githubTime`, passing `null` (and `undefined`) through as `null`. */
export function githubTimeOrNull(value: TimeInput | null | undefined): string | null {
  return value === null || value === undefined ? null : githubTime(value);
}

/**
 * A node id in GitHub's legacy format: base64 of `<length of type, zero-padded>:<Type><id>`
 * (`MDQ6VXNlcjE=` is `04:User1`). Connectors only ever treat node ids as opaque strings.
 */
export function nodeId(type: string, id: number | string): string {
  return Buffer.from(`${String(type.length).padStart(2, '0')}:${type}${id}`).toString('base64');
}

function reactionsPayload(url: string) {
  return {
    url,
    total_count: 0,
    '+1': 0,
    '-1': 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Users and organizations

export interface UserFields {
  login: string;
  id: number;
  /** Default `User`; `Bot` for app accounts such as `github-actions[bot]`. */
  type?: 'User' | 'Bot' | 'Organization';
  siteAdmin?: boolean;
}

/** A simple user, as embedded in issues, comments, commits (`user`, `assignee`, `creator`, …). */
export function userPayload(user: UserFields, urls: PayloadUrls) {
  const url = `${urls.baseUrl}/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === 'Bot' ? 'Bot' : user.type === 'Organization' ? 'Organization' : 'User', user.id),
    avatar_url: `${urls.webUrl}/avatars/u/${user.id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `${urls.webUrl}/${user.type === 'Bot' ? `apps/${user.login.replace(/\[bot\]$/, '')}` : user.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type ?? 'User',
    user_view_type: 'public',
    site_admin: user.siteAdmin ?? false,
  };
}

export type UserPayload = ReturnType<typeof userPayload>;

/** `userPayload`, or `null` where GitHub has no account to point at (an unlinked commit email). */
export function userPayloadOrNull(user: UserFields | null | undefined, urls: PayloadUrls): UserPayload | null {
  return user ? userPayload(user, urls) : null;
}

export interface FullUserFields extends UserFields {
  name: string | null;
  company: string | null;
  /** GitHub returns `""`, not null, when there is no blog. */
  blog: string;
  location: string | null;
  /** Only the public email; `null` when the user hides it. */
  email: string | null;
  bio: string | null;
  twitterUsername?: string | null;
  hireable?: boolean | null;
  publicRepos: number;
  publicGists?: number;
  followers: number;
  following: number;
  createdAt: TimeInput;
  updatedAt: TimeInput;
}

/** A user as `GET /users/{login}` and `GET /user` return it. */
export function fullUserPayload(user: FullUserFields, urls: PayloadUrls) {
  return {
    ...userPayload(user, urls),
    name: user.name,
    company: user.company,
    blog: user.blog,
    location: user.location,
    email: user.email,
    hireable: user.hireable ?? null,
    bio: user.bio,
    twitter_username: user.twitterUsername ?? null,
    public_repos: user.publicRepos,
    public_gists: user.publicGists ?? 0,
    followers: user.followers,
    following: user.following,
    created_at: githubTime(user.createdAt),
    updated_at: githubTime(user.updatedAt),
  };
}

export interface OrganizationFields {
  login: string;
  id: number;
  description: string | null;
}

/** An organization as `GET /user/orgs` lists it. */
export function organizationPayload(organization: OrganizationFields, urls: PayloadUrls) {
  const url = `${urls.baseUrl}/orgs/${organization.login}`;
  return {
    login: organization.login,
    id: organization.id,
    node_id: nodeId('Organization', organization.id),
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `${urls.webUrl}/avatars/u/${organization.id}?v=4`,
    description: organization.description,
  };
}

// ---------------------------------------------------------------------------------------------
// Repositories

export interface RepositoryFields {
  id: number;
  owner: UserFields;
  name: string;
  private: boolean;
  description: string | null;
  fork: boolean;
  homepage: string | null;
  language: string | null;
  defaultBranch: string;
  topics: string[];
  archived: boolean;
  visibility: 'public' | 'private' | 'internal';
  createdAt: TimeInput;
  updatedAt: TimeInput;
  pushedAt: TimeInput | null;
  /** Kilobytes. */
  size: number;
  stargazersCount: number;
  forksCount: number;
  /** Open issues plus open pull requests, as GitHub counts them. */
  openIssuesCount: number;
  license: { key: string; name: string; spdxId: string } | null;
  /** The authenticated user's permissions on it. */
  permissions?: { admin: boolean; maintain: boolean; push: boolean; triage: boolean; pull: boolean };
}

function repositoryLinks(repository: RepositoryFields, urls: PayloadUrls) {
  const fullName = `${repository.owner.login}/${repository.name}`;
  const url = `${urls.baseUrl}/repos/${fullName}`;
  return {
    id: repository.id,
    node_id: nodeId('Repository', repository.id),
    name: repository.name,
    full_name: fullName,
    private: repository.private,
    owner: userPayload(repository.owner, urls),
    html_url: `${urls.webUrl}/${fullName}`,
    description: repository.description,
    fork: repository.fork,
    url,
    forks_url: `${url}/forks`,
    keys_url: `${url}/keys{/key_id}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    teams_url: `${url}/teams`,
    hooks_url: `${url}/hooks`,
    issue_events_url: `${url}/issues/events{/number}`,
    events_url: `${url}/events`,
    assignees_url: `${url}/assignees{/user}`,
    branches_url: `${url}/branches{/branch}`,
    tags_url: `${url}/tags`,
    blobs_url: `${url}/git/blobs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    trees_url: `${url}/git/trees{/sha}`,
    statuses_url: `${url}/statuses/{sha}`,
    languages_url: `${url}/languages`,
    stargazers_url: `${url}/stargazers`,
    contributors_url: `${url}/contributors`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    commits_url: `${url}/commits{/sha}`,
    git_commits_url: `${url}/git/commits{/sha}`,
    comments_url: `${url}/comments{/number}`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    contents_url: `${url}/contents/{+path}`,
    compare_url: `${url}/compare/{base}...{head}`,
    merges_url: `${url}/merges`,
    archive_url: `${url}/{archive_format}{/ref}`,
    downloads_url: `${url}/downloads`,
    issues_url: `${url}/issues{/number}`,
    pulls_url: `${url}/pulls{/number}`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    labels_url: `${url}/labels{/name}`,
    releases_url: `${url}/releases{/id}`,
    deployments_url: `${url}/deployments`,
  };
}

/**
 * The slim repository GitHub embeds in workflow runs (`repository`, `head_repository`): identity
 * and links, no counts or dates.
 */
export function repositoryReferencePayload(repository: RepositoryFields, urls: PayloadUrls) {
  return repositoryLinks(repository, urls);
}

/** A repository as the listings return it (`GET /orgs/{org}/repos`, `GET /user/repos`, PR `head.repo`). */
export function repositoryPayload(repository: RepositoryFields, urls: PayloadUrls) {
  const fullName = `${repository.owner.login}/${repository.name}`;
  const host = new URL(urls.webUrl).host;
  return {
    ...repositoryLinks(repository, urls),
    created_at: githubTime(repository.createdAt),
    updated_at: githubTime(repository.updatedAt),
    pushed_at: githubTimeOrNull(repository.pushedAt),
    git_url: `git://${host}/${fullName}.git`,
    ssh_url: `git@${host}:${fullName}.git`,
    clone_url: `${urls.webUrl}/${fullName}.git`,
    svn_url: `${urls.webUrl}/${fullName}`,
    homepage: repository.homepage,
    size: repository.size,
    stargazers_count: repository.stargazersCount,
    watchers_count: repository.stargazersCount,
    language: repository.language,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: !repository.private,
    has_pages: false,
    has_discussions: false,
    forks_count: repository.forksCount,
    mirror_url: null,
    archived: repository.archived,
    disabled: false,
    open_issues_count: repository.openIssuesCount,
    license: repository.license
      ? {
          key: repository.license.key,
          name: repository.license.name,
          spdx_id: repository.license.spdxId,
          url: `${urls.baseUrl}/licenses/${repository.license.key}`,
          node_id: nodeId('License', repository.license.key),
        }
      : null,
    allow_forking: !repository.private,
    is_template: false,
    web_commit_signoff_required: false,
    topics: repository.topics,
    visibility: repository.visibility,
    // The legacy aliases GitHub still sends next to the `*_count` fields.
    forks: repository.forksCount,
    open_issues: repository.openIssuesCount,
    watchers: repository.stargazersCount,
    default_branch: repository.defaultBranch,
    permissions: repository.permissions ?? { admin: false, maintain: false, push: true, triage: true, pull: true },
  };
}

/** A repository as `GET /repos/{owner}/{repo}` returns it: the listing shape plus owner org and network counts. */
export function fullRepositoryPayload(
  repository: RepositoryFields,
  urls: PayloadUrls,
  extras: { organization?: OrganizationFields; subscribersCount?: number; networkCount?: number } = {},
) {
  return {
    ...repositoryPayload(repository, urls),
    temp_clone_token: null,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: true,
    allow_auto_merge: false,
    delete_branch_on_merge: true,
    organization: extras.organization
      ? userPayload({ login: extras.organization.login, id: extras.organization.id, type: 'Organization' }, urls)
      : undefined,
    network_count: extras.networkCount ?? repository.forksCount,
    subscribers_count: extras.subscribersCount ?? 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Labels and milestones

export interface LabelFields {
  id: number;
  name: string;
  /** Six hex digits, no `#`. */
  color: string;
  description: string | null;
  /** True for the labels GitHub creates in every new repository (`bug`, `documentation`, …). */
  default: boolean;
}

/** A label, as listed and as embedded in issues and pull requests. `fullName` is `owner/repo`. */
export function labelPayload(fullName: string, label: LabelFields, urls: PayloadUrls) {
  return {
    id: label.id,
    node_id: nodeId('Label', label.id),
    url: `${urls.baseUrl}/repos/${fullName}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: label.default,
    description: label.description,
  };
}

export interface MilestoneFields {
  id: number;
  number: number;
  title: string;
  description: string | null;
  creator: UserFields;
  state: 'open' | 'closed';
  openIssues: number;
  closedIssues: number;
  createdAt: TimeInput;
  updatedAt: TimeInput;
  closedAt: TimeInput | null;
  dueOn: TimeInput | null;
}

/** A milestone, as embedded in issues and pull requests. */
export function milestonePayload(fullName: string, milestone: MilestoneFields, urls: PayloadUrls) {
  const url = `${urls.baseUrl}/repos/${fullName}/milestones/${milestone.number}`;
  return {
    url,
    html_url: `${urls.webUrl}/${fullName}/milestone/${milestone.number}`,
    labels_url: `${url}/labels`,
    id: milestone.id,
    node_id: nodeId('Milestone', milestone.id),
    number: milestone.number,
    title: milestone.title,
    description: milestone.description,
    creator: userPayload(milestone.creator, urls),
    open_issues: milestone.openIssues,
    closed_issues: milestone.closedIssues,
    state: milestone.state,
    created_at: githubTime(milestone.createdAt),
    updated_at: githubTime(milestone.updatedAt),
    due_on: githubTimeOrNull(milestone.dueOn),
    closed_at: githubTimeOrNull(milestone.closedAt),
  };
}

// ---------------------------------------------------------------------------------------------
// Issues and pull requests

export type AuthorAssociation =
  | 'OWNER'
  | 'MEMBER'
  | 'COLLABORATOR'
  | 'CONTRIBUTOR'
  | 'FIRST_TIME_CONTRIBUTOR'
  | 'FIRST_TIMER'
  | 'MANNEQUIN'
  | 'NONE';

export interface IssueFields {
  id: number;
  number: number;
  title: string;
  /** `null` when empty, as GitHub returns it. */
  body: string | null;
  user: UserFields;
  labels: LabelFields[];
  assignees: UserFields[];
  milestone: MilestoneFields | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | null;
  locked: boolean;
  /** Number of conversation comments. */
  comments: number;
  createdAt: TimeInput;
  updatedAt: TimeInput;
  closedAt: TimeInput | null;
  authorAssociation: AuthorAssociation;
  /** Present when the issue is a pull request: GitHub lists pull requests among issues. */
  pullRequest?: { mergedAt: TimeInput | null; draft: boolean };
  /** Only `GET /repos/{owner}/{repo}/issues/{number}` includes `closed_by`. */
  closedBy?: UserFields | null;
}

/** An issue as `GET /repos/{owner}/{repo}/issues` lists it (pull requests carry a `pull_request` key). */
export function issuePayload(fullName: string, issue: IssueFields, urls: PayloadUrls) {
  const repositoryUrl = `${urls.baseUrl}/repos/${fullName}`;
  const url = `${repositoryUrl}/issues/${issue.number}`;
  const assignees = issue.assignees.map((assignee) => userPayload(assignee, urls));
  const pullUrl = `${urls.webUrl}/${fullName}/pull/${issue.number}`;
  return {
    url,
    repository_url: repositoryUrl,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${urls.webUrl}/${fullName}/${issue.pullRequest ? 'pull' : 'issues'}/${issue.number}`,
    id: issue.id,
    node_id: nodeId(issue.pullRequest ? 'PullRequest' : 'Issue', issue.id),
    number: issue.number,
    title: issue.title,
    user: userPayload(issue.user, urls),
    labels: issue.labels.map((label) => labelPayload(fullName, label, urls)),
    state: issue.state,
    locked: issue.locked,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: issue.milestone ? milestonePayload(fullName, issue.milestone, urls) : null,
    comments: issue.comments,
    created_at: githubTime(issue.createdAt),
    updated_at: githubTime(issue.updatedAt),
    closed_at: githubTimeOrNull(issue.closedAt),
    author_association: issue.authorAssociation,
    type: null,
    active_lock_reason: null,
    // GitHub marks a pull request among issues by these two keys; plain issues have neither.
    ...(issue.pullRequest
      ? {
          draft: issue.pullRequest.draft,
          pull_request: {
            url: `${repositoryUrl}/pulls/${issue.number}`,
            html_url: pullUrl,
            diff_url: `${pullUrl}.diff`,
            patch_url: `${pullUrl}.patch`,
            merged_at: githubTimeOrNull(issue.pullRequest.mergedAt),
          },
        }
      : {}),
    body: issue.body,
    ...(issue.closedBy === undefined ? {} : { closed_by: issue.closedBy ? userPayload(issue.closedBy, urls) : null }),
    reactions: reactionsPayload(`${url}/reactions`),
    timeline_url: `${url}/timeline`,
    performed_via_github_app: null,
    state_reason: issue.stateReason,
  };
}

export interface PullRequestFields {
  /** The pull request's own id (not the id of the issue behind it). */
  id: number;
  number: number;
  title: string;
  body: string | null;
  user: UserFields;
  labels: LabelFields[];
  assignees: UserFields[];
  requestedReviewers: UserFields[];
  milestone: MilestoneFields | null;
  state: 'open' | 'closed';
  locked: boolean;
  draft: boolean;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  createdAt: TimeInput;
  updatedAt: TimeInput;
  closedAt: TimeInput | null;
  mergedAt: TimeInput | null;
  mergeCommitSha: string | null;
  authorAssociation: AuthorAssociation;
}

/** A pull request as `GET /repos/{owner}/{repo}/pulls` lists it. `repository` is both head and base repo. */
export function pullRequestPayload(repository: RepositoryFields, pull: PullRequestFields, urls: PayloadUrls) {
  const fullName = `${repository.owner.login}/${repository.name}`;
  const repositoryUrl = `${urls.baseUrl}/repos/${fullName}`;
  const url = `${repositoryUrl}/pulls/${pull.number}`;
  const issueUrl = `${repositoryUrl}/issues/${pull.number}`;
  const htmlUrl = `${urls.webUrl}/${fullName}/pull/${pull.number}`;
  const assignees = pull.assignees.map((assignee) => userPayload(assignee, urls));
  const repositoryBody = repositoryPayload(repository, urls);
  const owner = userPayload(repository.owner, urls);
  return {
    url,
    id: pull.id,
    node_id: nodeId('PullRequest', pull.id),
    html_url: htmlUrl,
    diff_url: `${htmlUrl}.diff`,
    patch_url: `${htmlUrl}.patch`,
    issue_url: issueUrl,
    number: pull.number,
    state: pull.state,
    locked: pull.locked,
    title: pull.title,
    user: userPayload(pull.user, urls),
    body: pull.body,
    created_at: githubTime(pull.createdAt),
    updated_at: githubTime(pull.updatedAt),
    closed_at: githubTimeOrNull(pull.closedAt),
    merged_at: githubTimeOrNull(pull.mergedAt),
    merge_commit_sha: pull.mergeCommitSha,
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: pull.requestedReviewers.map((reviewer) => userPayload(reviewer, urls)),
    requested_teams: [],
    labels: pull.labels.map((label) => labelPayload(fullName, label, urls)),
    milestone: pull.milestone ? milestonePayload(fullName, pull.milestone, urls) : null,
    draft: pull.draft,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${repositoryUrl}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: `${repositoryUrl}/statuses/${pull.head.sha}`,
    head: {
      label: `${repository.owner.login}:${pull.head.ref}`,
      ref: pull.head.ref,
      sha: pull.head.sha,
      user: owner,
      repo: repositoryBody,
    },
    base: {
      label: `${repository.owner.login}:${pull.base.ref}`,
      ref: pull.base.ref,
      sha: pull.base.sha,
      user: owner,
      repo: repositoryBody,
    },
    _links: {
      self: { href: url },
      html: { href: htmlUrl },
      issue: { href: issueUrl },
      comments: { href: `${issueUrl}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${repositoryUrl}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${repositoryUrl}/statuses/${pull.head.sha}` },
    },
    author_association: pull.authorAssociation,
    auto_merge: null,
    active_lock_reason: null,
  };
}

export interface PullRequestDetailFields extends PullRequestFields {
  mergedBy: UserFields | null;
  comments: number;
  reviewComments: number;
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
}

/** A pull request as `GET /repos/{owner}/{repo}/pulls/{number}` returns it: the listing shape plus merge state and counts. */
export function pullRequestDetailPayload(
  repository: RepositoryFields,
  pull: PullRequestDetailFields,
  urls: PayloadUrls,
) {
  const merged = pull.mergedAt !== null;
  return {
    ...pullRequestPayload(repository, pull, urls),
    merged,
    // GitHub computes mergeability in the background; open PRs here are always clean.
    mergeable: pull.state === 'open' ? true : null,
    rebaseable: pull.state === 'open' ? true : null,
    mergeable_state: pull.state === 'open' ? (pull.draft ? 'draft' : 'clean') : 'unknown',
    merged_by: pull.mergedBy ? userPayload(pull.mergedBy, urls) : null,
    comments: pull.comments,
    review_comments: pull.reviewComments,
    maintainer_can_modify: false,
    commits: pull.commits,
    additions: pull.additions,
    deletions: pull.deletions,
    changed_files: pull.changedFiles,
  };
}

// ---------------------------------------------------------------------------------------------
// Commits

export interface GitActor {
  name: string;
  email: string;
  date: TimeInput;
}

export interface CommitFields {
  sha: string;
  treeSha: string;
  message: string;
  author: GitActor;
  committer: GitActor;
  /** The GitHub accounts behind the git identities; `null` when the email is linked to none. */
  authorUser: UserFields | null;
  committerUser: UserFields | null;
  parents: string[];
  commentCount?: number;
}

/**
 * A commit as `GET /repos/{owner}/{repo}/commits` and `GET /repos/{owner}/{repo}/pulls/{number}/commits`
 * list it.
 */
export function commitPayload(fullName: string, commit: CommitFields, urls: PayloadUrls) {
  const repositoryUrl = `${urls.baseUrl}/repos/${fullName}`;
  const gitActor = (actor: GitActor) => ({ name: actor.name, email: actor.email, date: githubTime(actor.date) });
  return {
    sha: commit.sha,
    node_id: nodeId('Commit', `${fullName}:${commit.sha}`),
    commit: {
      author: gitActor(commit.author),
      committer: gitActor(commit.committer),
      message: commit.message,
      tree: { sha: commit.treeSha, url: `${repositoryUrl}/git/trees/${commit.treeSha}` },
      url: `${repositoryUrl}/git/commits/${commit.sha}`,
      comment_count: commit.commentCount ?? 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    url: `${repositoryUrl}/commits/${commit.sha}`,
    html_url: `${urls.webUrl}/${fullName}/commit/${commit.sha}`,
    comments_url: `${repositoryUrl}/commits/${commit.sha}/comments`,
    author: userPayloadOrNull(commit.authorUser, urls),
    committer: userPayloadOrNull(commit.committerUser, urls),
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${repositoryUrl}/commits/${sha}`,
      html_url: `${urls.webUrl}/${fullName}/commit/${sha}`,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Reviews and comments

export interface ReviewFields {
  id: number;
  pullNumber: number;
  user: UserFields;
  body: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  /** Null while the review is PENDING (GitHub then leaves `submitted_at` out). */
  submittedAt: TimeInput | null;
  commitId: string;
  authorAssociation: AuthorAssociation;
}

/** A review as `GET /repos/{owner}/{repo}/pulls/{number}/reviews` lists it. */
export function reviewPayload(fullName: string, review: ReviewFields, urls: PayloadUrls) {
  const htmlUrl = `${urls.webUrl}/${fullName}/pull/${review.pullNumber}#pullrequestreview-${review.id}`;
  const pullUrl = `${urls.baseUrl}/repos/${fullName}/pulls/${review.pullNumber}`;
  return {
    id: review.id,
    node_id: nodeId('PullRequestReview', review.id),
    user: userPayload(review.user, urls),
    body: review.body,
    state: review.state,
    html_url: htmlUrl,
    pull_request_url: pullUrl,
    author_association: review.authorAssociation,
    _links: { html: { href: htmlUrl }, pull_request: { href: pullUrl } },
    ...(review.submittedAt === null ? {} : { submitted_at: githubTime(review.submittedAt) }),
    commit_id: review.commitId,
  };
}

export interface ReviewCommentFields {
  id: number;
  pullNumber: number;
  /** The review it was submitted with; `null` for none. */
  reviewId: number | null;
  /** Set on replies only; GitHub omits the key otherwise. */
  inReplyToId?: number;
  user: UserFields;
  body: string;
  path: string;
  diffHunk: string;
  /** Position in the diff; `null` once the line is outdated. */
  position: number | null;
  originalPosition: number;
  line: number | null;
  originalLine: number;
  side: 'LEFT' | 'RIGHT';
  commitId: string;
  originalCommitId: string;
  createdAt: TimeInput;
  updatedAt: TimeInput;
  authorAssociation: AuthorAssociation;
}

/** A review comment as `GET /repos/{owner}/{repo}/pulls/comments` lists it. */
export function reviewCommentPayload(fullName: string, comment: ReviewCommentFields, urls: PayloadUrls) {
  const repositoryUrl = `${urls.baseUrl}/repos/${fullName}`;
  const url = `${repositoryUrl}/pulls/comments/${comment.id}`;
  const htmlUrl = `${urls.webUrl}/${fullName}/pull/${comment.pullNumber}#discussion_r${comment.id}`;
  const pullUrl = `${repositoryUrl}/pulls/${comment.pullNumber}`;
  return {
    url,
    pull_request_review_id: comment.reviewId,
    id: comment.id,
    node_id: nodeId('PullRequestReviewComment', comment.id),
    diff_hunk: comment.diffHunk,
    path: comment.path,
    position: comment.position,
    original_position: comment.originalPosition,
    commit_id: comment.commitId,
    original_commit_id: comment.originalCommitId,
    ...(comment.inReplyToId === undefined ? {} : { in_reply_to_id: comment.inReplyToId }),
    user: userPayload(comment.user, urls),
    body: comment.body,
    created_at: githubTime(comment.createdAt),
    updated_at: githubTime(comment.updatedAt),
    html_url: htmlUrl,
    pull_request_url: pullUrl,
    author_association: comment.authorAssociation,
    _links: { self: { href: url }, html: { href: htmlUrl }, pull_request: { href: pullUrl } },
    reactions: reactionsPayload(`${url}/reactions`),
    start_line: null,
    original_start_line: null,
    start_side: null,
    line: comment.line,
    original_line: comment.originalLine,
    side: comment.side,
    subject_type: 'line',
  };
}

export interface IssueCommentFields {
  id: number;
  issueNumber: number;
  /** Decides `html_url`: comments on pull requests link to `/pull/{n}`. */
  onPullRequest: boolean;
  user: UserFields;
  body: string;
  createdAt: TimeInput;
  updatedAt: TimeInput;
  authorAssociation: AuthorAssociation;
}

/** An issue comment as `GET /repos/{owner}/{repo}/issues/comments` lists it (PR conversation comments too). */
export function issueCommentPayload(fullName: string, comment: IssueCommentFields, urls: PayloadUrls) {
  const repositoryUrl = `${urls.baseUrl}/repos/${fullName}`;
  const url = `${repositoryUrl}/issues/comments/${comment.id}`;
  const kind = comment.onPullRequest ? 'pull' : 'issues';
  return {
    url,
    html_url: `${urls.webUrl}/${fullName}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${repositoryUrl}/issues/${comment.issueNumber}`,
    id: comment.id,
    node_id: nodeId('IssueComment', comment.id),
    user: userPayload(comment.user, urls),
    created_at: githubTime(comment.createdAt),
    updated_at: githubTime(comment.updatedAt),
    author_association: comment.authorAssociation,
    body: comment.body,
    reactions: reactionsPayload(`${url}/reactions`),
    performed_via_github_app: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Actions

export type WorkflowRunStatus =
  | 'queued'
  | 'in_progress'
  | 'completed'
  | 'waiting'
  | 'requested'
  | 'pending'
  | 'action_required';

export type WorkflowConclusion =
  | 'success'
  | 'failure'
  | 'cancelled'
  | 'timed_out'
  | 'skipped'
  | 'neutral'
  | 'action_required'
  | 'stale'
  | 'startup_failure';

export interface WorkflowFields {
  id: number;
  name: string;
  /** `.github/workflows/ci.yml`. */
  path: string;
  createdAt: TimeInput;
  updatedAt: TimeInput;
}

/** A workflow as `GET /repos/{owner}/{repo}/actions/workflows` lists it. */
export function workflowPayload(fullName: string, workflow: WorkflowFields, urls: PayloadUrls) {
  return {
    id: workflow.id,
    node_id: nodeId('Workflow', workflow.id),
    name: workflow.name,
    path: workflow.path,
    state: 'active',
    created_at: githubTime(workflow.createdAt),
    updated_at: githubTime(workflow.updatedAt),
    url: `${urls.baseUrl}/repos/${fullName}/actions/workflows/${workflow.id}`,
    html_url: `${urls.webUrl}/${fullName}/blob/main/${workflow.path}`,
    badge_url: `${urls.webUrl}/${fullName}/workflows/${encodeURIComponent(workflow.name)}/badge.svg`,
  };
}

export interface WorkflowRunFields {
  id: number;
  name: string;
  workflowId: number;
  path: string;
  displayTitle: string;
  runNumber: number;
  runAttempt: number;
  event: string;
  status: WorkflowRunStatus;
  conclusion: WorkflowConclusion | null;
  headBranch: string;
  headSha: string;
  headCommit: {
    id: string;
    treeId: string;
    message: string;
    timestamp: TimeInput;
    author: GitActor;
    committer: GitActor;
  };
  checkSuiteId: number;
  actor: UserFields;
  triggeringActor: UserFields;
  /** Pull requests of the same repository whose head is this run's head. */
  pullRequests: { id: number; number: number; headRef: string; headSha: string; baseRef: string; baseSha: string }[];
  createdAt: TimeInput;
  updatedAt: TimeInput;
  runStartedAt: TimeInput;
}

/** A workflow run as `GET /repos/{owner}/{repo}/actions/runs` lists it (inside `workflow_runs`). */
export function workflowRunPayload(repository: RepositoryFields, run: WorkflowRunFields, urls: PayloadUrls) {
  const fullName = `${repository.owner.login}/${repository.name}`;
  const repositoryUrl = `${urls.baseUrl}/repos/${fullName}`;
  const url = `${repositoryUrl}/actions/runs/${run.id}`;
  const reference = repositoryReferencePayload(repository, urls);
  const gitActor = (actor: GitActor) => ({ name: actor.name, email: actor.email });
  const pullReference = (repositoryId: number) => ({ id: repositoryId, url: repositoryUrl, name: repository.name });
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('WorkflowRun', run.id),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    display_title: run.displayTitle,
    run_number: run.runNumber,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    check_suite_id: run.checkSuiteId,
    check_suite_node_id: nodeId('CheckSuite', run.checkSuiteId),
    url,
    html_url: `${urls.webUrl}/${fullName}/actions/runs/${run.id}`,
    pull_requests: run.pullRequests.map((pull) => ({
      url: `${repositoryUrl}/pulls/${pull.number}`,
      id: pull.id,
      number: pull.number,
      head: { ref: pull.headRef, sha: pull.headSha, repo: pullReference(repository.id) },
      base: { ref: pull.baseRef, sha: pull.baseSha, repo: pullReference(repository.id) },
    })),
    created_at: githubTime(run.createdAt),
    updated_at: githubTime(run.updatedAt),
    actor: userPayload(run.actor, urls),
    run_attempt: run.runAttempt,
    referenced_workflows: [],
    run_started_at: githubTime(run.runStartedAt),
    triggering_actor: userPayload(run.triggeringActor, urls),
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: `${repositoryUrl}/check-suites/${run.checkSuiteId}`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    previous_attempt_url: run.runAttempt > 1 ? `${url}/attempts/${run.runAttempt - 1}` : null,
    workflow_url: `${repositoryUrl}/actions/workflows/${run.workflowId}`,
    head_commit: {
      id: run.headCommit.id,
      tree_id: run.headCommit.treeId,
      message: run.headCommit.message,
      timestamp: githubTime(run.headCommit.timestamp),
      author: gitActor(run.headCommit.author),
      committer: gitActor(run.headCommit.committer),
    },
    repository: reference,
    head_repository: reference,
  };
}

export interface WorkflowStepFields {
  name: string;
  number: number;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: WorkflowConclusion | null;
  startedAt: TimeInput | null;
  completedAt: TimeInput | null;
}

export interface WorkflowJobFields {
  id: number;
  runId: number;
  runAttempt: number;
  workflowName: string;
  headBranch: string;
  headSha: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting';
  conclusion: WorkflowConclusion | null;
  createdAt: TimeInput;
  startedAt: TimeInput;
  completedAt: TimeInput | null;
  steps: WorkflowStepFields[];
  labels: string[];
  /** `null` until a runner picks the job up. */
  runnerId: number | null;
  runnerName: string | null;
}

/** A job as `GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs` lists it (inside `jobs`). */
export function workflowJobPayload(fullName: string, job: WorkflowJobFields, urls: PayloadUrls) {
  const repositoryUrl = `${urls.baseUrl}/repos/${fullName}`;
  const hasRunner = job.runnerId !== null;
  return {
    id: job.id,
    run_id: job.runId,
    workflow_name: job.workflowName,
    head_branch: job.headBranch,
    run_url: `${repositoryUrl}/actions/runs/${job.runId}`,
    run_attempt: job.runAttempt,
    node_id: nodeId('CheckRun', job.id),
    head_sha: job.headSha,
    url: `${repositoryUrl}/actions/jobs/${job.id}`,
    html_url: `${urls.webUrl}/${fullName}/actions/runs/${job.runId}/job/${job.id}`,
    status: job.status,
    conclusion: job.conclusion,
    created_at: githubTime(job.createdAt),
    started_at: githubTime(job.startedAt),
    completed_at: githubTimeOrNull(job.completedAt),
    name: job.name,
    steps: job.steps.map((step) => ({
      name: step.name,
      status: step.status,
      conclusion: step.conclusion,
      number: step.number,
      started_at: githubTimeOrNull(step.startedAt),
      completed_at: githubTimeOrNull(step.completedAt),
    })),
    check_run_url: `${repositoryUrl}/check-runs/${job.id}`,
    labels: job.labels,
    runner_id: job.runnerId,
    runner_name: job.runnerName,
    runner_group_id: hasRunner ? 2 : null,
    runner_group_name: hasRunner ? 'GitHub Actions' : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Deployments

export interface DeploymentFields {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown>;
  originalEnvironment: string;
  environment: string;
  description: string | null;
  creator: UserFields;
  createdAt: TimeInput;
  updatedAt: TimeInput;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
}

/** A deployment as `GET /repos/{owner}/{repo}/deployments` lists it. */
export function deploymentPayload(fullName: string, deployment: DeploymentFields, urls: PayloadUrls) {
  const repositoryUrl = `${urls.baseUrl}/repos/${fullName}`;
  const url = `${repositoryUrl}/deployments/${deployment.id}`;
  return {
    url,
    id: deployment.id,
    node_id: nodeId('Deployment', deployment.id),
    task: deployment.task,
    original_environment: deployment.originalEnvironment,
    environment: deployment.environment,
    description: deployment.description,
    created_at: githubTime(deployment.createdAt),
    updated_at: githubTime(deployment.updatedAt),
    statuses_url: `${url}/statuses`,
    repository_url: repositoryUrl,
    creator: userPayload(deployment.creator, urls),
    sha: deployment.sha,
    ref: deployment.ref,
    payload: deployment.payload,
    transient_environment: deployment.transientEnvironment,
    production_environment: deployment.productionEnvironment,
    performed_via_github_app: null,
  };
}

export type DeploymentState = 'success' | 'failure' | 'error' | 'inactive' | 'in_progress' | 'queued' | 'pending';

export interface DeploymentStatusFields {
  id: number;
  deploymentId: number;
  state: DeploymentState;
  creator: UserFields;
  description: string;
  environment: string;
  /** Deprecated alias of `logUrl`; GitHub fills both. */
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  createdAt: TimeInput;
  updatedAt: TimeInput;
}

/** A deployment status as `GET /repos/{owner}/{repo}/deployments/{id}/statuses` lists it. */
export function deploymentStatusPayload(fullName: string, status: DeploymentStatusFields, urls: PayloadUrls) {
  const repositoryUrl = `${urls.baseUrl}/repos/${fullName}`;
  const deploymentUrl = `${repositoryUrl}/deployments/${status.deploymentId}`;
  return {
    url: `${deploymentUrl}/statuses/${status.id}`,
    id: status.id,
    node_id: nodeId('DeploymentStatus', status.id),
    state: status.state,
    creator: userPayload(status.creator, urls),
    description: status.description,
    environment: status.environment,
    target_url: status.targetUrl,
    created_at: githubTime(status.createdAt),
    updated_at: githubTime(status.updatedAt),
    deployment_url: deploymentUrl,
    repository_url: repositoryUrl,
    environment_url: status.environmentUrl,
    log_url: status.logUrl,
    performed_via_github_app: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Rate limit

export interface RateLimitFields {
  limit: number;
  used: number;
  /** Epoch seconds when the window resets. */
  reset: number;
}

/** The body of `GET /rate_limit`: every resource, and `rate` (a deprecated copy of `core`). */
export function rateLimitPayload(core: RateLimitFields, others: Partial<Record<string, RateLimitFields>> = {}) {
  const resource = (name: string, fields: RateLimitFields) => ({
    limit: fields.limit,
    used: fields.used,
    remaining: Math.max(0, fields.limit - fields.used),
    reset: fields.reset,
    resource: name,
  });
  const fallback = (name: string, limit: number) =>
    resource(name, others[name] ?? { limit, used: 0, reset: core.reset });
  return {
    resources: {
      core: resource('core', core),
      search: fallback('search', 30),
      graphql: fallback('graphql', 5000),
      integration_manifest: fallback('integration_manifest', 5000),
      source_import: fallback('source_import', 100),
      code_scanning_upload: fallback('code_scanning_upload', 1000),
      actions_runner_registration: fallback('actions_runner_registration', 10000),
      scim: fallback('scim', 15000),
      dependency_snapshots: fallback('dependency_snapshots', 100),
      code_search: fallback('code_search', 10),
    },
    rate: resource('core', core),
  };
}
