import {
  type FakeRequest,
  type FakeResponse,
  hostileOrder,
  paginateByOffset,
  recordTestedVersion,
  startFakeApi,
} from '@lake/testkit/fake-api';
import { addCatalogRoutes, FAKE_STATUSES } from './catalog-routes.js';
import { addChangelogRoutes } from './changelog-routes.js';
import {
  addIssue,
  type FakeHistory,
  type FakeIssue,
  type FakeUser,
  type JiraDataset,
  STATUS_NAMES,
} from './dataset.js';
import { notFound, UNAUTHENTICATED } from './jira-errors.js';
import { addSearchRoutes, BOARD_FILTER_ID, listIssues } from './search-routes.js';
import { jiraTimestamp } from './zoned-clock.js';

export const BOARD_ID = 8;
export const CLOUD_EMAIL = 'lake-bot@example.com';
export const CLOUD_API_TOKEN = 'ATATT3xFfGF0-cloud-token-4242';
export const DATA_CENTER_TOKEN = 'NjQ2MzE0-datacenter-pat-4242';

export type Deployment = 'Cloud' | 'DataCenter';

export interface FakeJiraOptions {
  deployment?: Deployment;
  /** The user's time zone: JQL dates are read in it, timestamps written in it. Default Europe/Berlin. */
  timeZone?: string;
  port?: number;
  /** Histories per issue for issues added by `mutate`. Default 2. */
  historiesPerIssue?: number;
  /** Whether `POST /rest/api/3/changelog/bulkfetch` exists. Default: on Cloud only, as Atlassian's. */
  bulkChangelog?: boolean;
}

const richText = (version: string | undefined, text: string) =>
  version === '3'
    ? { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] }
    : text;

/**
 * A fake Jira (Cloud or Data Center) written from Atlassian's REST reference: basic auth with
 * e-mail + API token on Cloud, bearer personal access tokens on Data Center; `/myself` and
 * `/serverInfo`; projects; the agile board, sprint and board-issue endpoints with
 * `startAt`/`maxResults`/`total` (sprints: `isLast`, no total); JQL `updated >= "yyyy/MM/dd HH:mm"`
 * read in the user's zone to the minute; `expand=changelog` (at most 100 histories inline);
 * the per-issue changelog (`startAt` pages) and, on Cloud, the bulk changelog endpoint (token pages);
 * comments (ADF bodies on v3) and worklogs; Atlassian's error bodies. The testkit's faults and
 * hostilities apply to every route.
 */
export async function startFakeJira(dataset: JiraDataset, options: FakeJiraOptions = {}) {
  const deployment = options.deployment ?? 'Cloud';
  const zone = options.timeZone ?? 'Europe/Berlin';
  const api = await startFakeApi({ port: options.port ?? 0 });
  const users = new Map(dataset.users.map((user) => [user.accountId, user]));
  const time = (instant: number | null) => (instant === null ? null : jiraTimestamp(instant, zone));

  const authorized = (request: FakeRequest) => {
    const header = String(request.headers.authorization ?? '');
    if (deployment === 'DataCenter') return header === `Bearer ${DATA_CENTER_TOKEN}`;
    return header === `Basic ${Buffer.from(`${CLOUD_EMAIL}:${CLOUD_API_TOKEN}`).toString('base64')}`;
  };
  // What the tests exercised, for tested-versions.json: the REST API versions asked, per deployment.
  const record = (request: FakeRequest) => {
    const [, family, version] = /^\/rest\/(api|agile)\/([^/]+)\//.exec(request.path) ?? [];
    const product = deployment === 'Cloud' ? 'Jira Cloud' : 'Jira Data Center';
    if (family)
      recordTestedVersion(`${product} ${family === 'api' ? 'REST API' : 'Software (agile) REST API'}`, version);
  };
  const route = (path: string, handler: (request: FakeRequest) => FakeResponse, method = 'GET') =>
    api.route(method, path, (request) => {
      if (!authorized(request)) return UNAUTHENTICATED;
      record(request);
      return handler(request);
    });

  const userJson = (user: FakeUser | undefined) => {
    if (!user) return null;
    const common = {
      displayName: user.displayName,
      emailAddress: user.email,
      active: true,
      avatarUrls: { '48x48': `${api.url}/avatar/${user.key}` },
    };
    return deployment === 'Cloud'
      ? { accountId: user.accountId, ...common }
      : { key: user.key, name: user.key.toLowerCase(), ...common };
  };
  const userById = (accountId: string | null) => (accountId === null ? null : userJson(users.get(accountId)));
  const sprintJson = (sprintId: number) => {
    const sprint = dataset.sprints.find((candidate) => candidate.id === sprintId)!;
    return {
      id: sprint.id,
      self: `${api.url}/rest/agile/1.0/sprint/${sprint.id}`,
      state: sprint.state,
      name: sprint.name,
      startDate: time(sprint.start),
      endDate: time(sprint.end),
      ...(sprint.complete === null ? {} : { completeDate: time(sprint.complete) }),
      originBoardId: BOARD_ID,
    };
  };
  const historyJson = (history: FakeHistory) => ({
    id: String(history.id),
    author: userById(history.authorId),
    created: time(history.at),
    items: history.items.map((item) => ({
      ...(item.field === undefined ? {} : { field: item.field, fieldtype: 'jira' }),
      ...(item.fieldId === undefined ? {} : { fieldId: item.fieldId }),
      from: item.from,
      fromString: item.fromString,
      to: item.to,
      toString: item.toString,
    })),
  });
  // Jira returns at most 100 histories with an issue; the rest are read from the changelog endpoints.
  const changelogJson = (issue: FakeIssue) => ({
    startAt: 0,
    maxResults: Math.min(100, issue.histories.length),
    total: issue.histories.length,
    histories: issue.histories.slice(0, 100).map(historyJson),
  });
  const issueJson = (issue: FakeIssue, expandChangelog: boolean) => ({
    expand: 'operations,versionedRepresentations,editmeta,changelog,renderedFields',
    id: String(issue.id),
    self: `${api.url}/rest/agile/1.0/issue/${issue.id}`,
    key: issue.key,
    fields: {
      summary: issue.summary,
      description: `Description of ${issue.key}`,
      issuetype: { name: issue.type, subtask: false, iconUrl: `${api.url}/images/${issue.type.toLowerCase()}.svg` },
      status: {
        id: FAKE_STATUSES.find((status) => status.name === STATUS_NAMES[issue.category])!.id,
        name: STATUS_NAMES[issue.category],
        statusCategory: { key: issue.category },
      },
      priority: { name: 'Medium' },
      project: { key: 'CORE', name: 'Core' },
      reporter: userById(issue.reporterId),
      creator: userById(issue.reporterId),
      assignee: userById(issue.assigneeId),
      labels: issue.labels,
      components: [],
      fixVersions: [],
      created: time(issue.created),
      updated: time(issue.updated),
      resolutiondate: time(issue.resolved),
      duedate: null,
      customfield_10016: issue.storyPoints,
      customfield_10014: null,
      timeoriginalestimate: null,
      timespent: issue.worklogs.reduce((total, worklog) => total + worklog.seconds, 0) || null,
      timeestimate: null,
      sprint: issue.activeSprintId === null ? null : sprintJson(issue.activeSprintId),
      closedSprints: issue.closedSprintIds.map(sprintJson),
      comment: { total: issue.comments.length, maxResults: 0, startAt: 0, comments: [] },
      worklog: { total: issue.worklogs.length, maxResults: 0, startAt: 0, worklogs: [] },
    },
    ...(expandChangelog ? { changelog: changelogJson(issue) } : {}),
  });
  const issueOf = (request: FakeRequest) =>
    dataset.issues.find((issue) => String(issue.id) === request.params.issue || issue.key === request.params.issue);

  route('/rest/api/:version/myself', () => ({
    body:
      deployment === 'Cloud'
        ? { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Lake Bot', emailAddress: CLOUD_EMAIL, timeZone: zone }
        : { key: 'JIRAUSER10000', name: 'lake-bot', displayName: 'Lake Bot', timeZone: zone },
  }));
  route('/rest/api/:version/serverInfo', () => ({
    body:
      deployment === 'Cloud'
        ? { baseUrl: api.url, version: '1001.0.0-SNAPSHOT', deploymentType: 'Cloud', buildNumber: 100_289 }
        : { baseUrl: api.url, version: '9.12.4', deploymentType: 'Server', buildNumber: 9_120_004 },
  }));
  route('/rest/api/2/project', () => ({
    body: [
      { id: '10000', key: 'CORE', name: 'Core' },
      { id: '10001', key: 'OPS', name: 'Operations' },
    ],
  }));
  route('/rest/agile/1.0/board', (request) => {
    const project = request.query.get('projectKeyOrId');
    const boards =
      project === 'CORE'
        ? [
            { id: BOARD_ID, name: 'CORE board', type: 'scrum' },
            { id: 9, name: 'CORE kanban', type: 'kanban' },
            { id: 10, name: 'CORE triage', type: 'kanban' },
          ]
        : project === 'OPS'
          ? Array.from({ length: 60 }, (_, index) => ({
              id: 101 + index,
              name: `OPS team ${index + 1}`,
              type: 'kanban',
            }))
          : [];
    const page = paginateByOffset(boards, request);
    const body = page.body as { startAt: number; total: number; values: unknown[] };
    return { ...page, body: { ...body, isLast: body.startAt + body.values.length >= body.total } };
  });
  route('/rest/agile/1.0/board/:board', (request) =>
    Number(request.params.board) === BOARD_ID
      ? {
          body: {
            id: BOARD_ID,
            self: `${api.url}/rest/agile/1.0/board/${BOARD_ID}`,
            name: 'CORE board',
            type: 'scrum',
            location: { projectId: 10000, projectKey: 'CORE', projectName: 'Core', displayName: 'Core (CORE)' },
          },
        }
      : notFound(`Board ${request.params.board}`),
  );
  route('/rest/agile/1.0/board/:board/sprint', (request) => {
    if (Number(request.params.board) !== BOARD_ID) return notFound(`Board ${request.params.board}`);
    const startAt = Number(request.query.get('startAt') ?? 0);
    const maxResults = Math.min(50, Number(request.query.get('maxResults') ?? 50));
    const listed = hostileOrder(
      dataset.sprints.map((sprint) => sprintJson(sprint.id)),
      request,
    );
    const last = startAt + maxResults >= listed.length;
    // The sprint listing has no total: isLast says whether more follow.
    return {
      body: { maxResults, startAt, isLast: last, values: listed.slice(startAt, startAt + maxResults) },
      page: { number: Math.floor(startAt / maxResults) + 1, last },
    };
  });
  route('/rest/agile/1.0/board/:board/issue', (request) => {
    if (Number(request.params.board) !== BOARD_ID) return notFound(`Board ${request.params.board}`);
    const listed = listIssues(dataset.issues, request.query.get('jql') ?? '', zone);
    if (!Array.isArray(listed)) return listed;
    const expand = (request.query.get('expand') ?? '').split(',').includes('changelog');
    // Jira caps maxResults (here at 100) and says so in the answer.
    request.query.set('maxResults', String(Math.min(100, Number(request.query.get('maxResults') ?? 50))));
    // Only the page's issues are rendered (a board of 10,000 issues is paged a hundred times).
    const page = paginateByOffset(listed, request, 'issues');
    const body = page.body as { issues: FakeIssue[] };
    return {
      ...page,
      body: { expand: 'schema,names', ...body, issues: body.issues.map((issue) => issueJson(issue, expand)) },
    };
  });
  route('/rest/agile/1.0/board/:board/configuration', (request) =>
    Number(request.params.board) === BOARD_ID
      ? {
          body: {
            id: BOARD_ID,
            name: 'CORE board',
            type: 'scrum',
            self: `${api.url}/rest/agile/1.0/board/${BOARD_ID}/configuration`,
            filter: { id: BOARD_FILTER_ID, self: `${api.url}/rest/api/2/filter/${BOARD_FILTER_ID}` },
            ranking: { rankCustomFieldId: 10019 },
          },
        }
      : notFound(`Board ${request.params.board}`),
  );
  addSearchRoutes({ route, deployment, issues: dataset.issues, zone, issueJson });
  addCatalogRoutes(route, api.url);
  addChangelogRoutes({
    route,
    issues: dataset.issues,
    historyJson,
    bulk: options.bulkChangelog ?? deployment === 'Cloud',
  });
  route('/rest/api/:version/issue/:issue/comment', (request) => {
    const issue = issueOf(request);
    if (!issue) return notFound('Issue');
    const comments = issue.comments.map((comment) => ({
      id: String(comment.id),
      author: userById(comment.authorId),
      body: richText(request.params.version, comment.text),
      created: time(comment.created),
      updated: time(comment.updated),
    }));
    return paginateByOffset(comments, request, 'comments');
  });
  route('/rest/api/:version/issue/:issue/worklog', (request) => {
    const issue = issueOf(request);
    if (!issue) return notFound('Issue');
    const worklogs = issue.worklogs.map((worklog) => ({
      id: String(worklog.id),
      issueId: String(issue.id),
      author: userById(worklog.authorId),
      comment: richText(request.params.version, worklog.text),
      started: time(worklog.started),
      created: time(worklog.created),
      timeSpentSeconds: worklog.seconds,
    }));
    return paginateByOffset(worklogs, request, 'worklogs');
  });

  // Edits stamp the real time, as Jira does: later than every fixture issue, and later than the
  // start of a listing that is being read while they happen.
  let clock = 0;
  const now = () => {
    clock = Math.max(Date.now(), clock + 1);
    return clock;
  };
  const historiesPerIssue = options.historiesPerIssue ?? 2;
  return {
    api,
    url: api.url,
    dataset,
    deployment,
    zone,
    /** Resolves the three least recently updated issues (they move to the end of an `updated` listing), comments on one, and adds two. */
    mutate(round: number) {
      const oldest = [...dataset.issues].sort((a, b) => a.updated - b.updated).slice(0, 3);
      for (const [index, issue] of oldest.entries()) {
        const at = now();
        issue.summary = `${issue.summary} (edited in round ${round})`;
        if (issue.category !== 'done') {
          issue.histories.push({
            id: dataset.sequence.history++,
            authorId: issue.reporterId,
            at,
            items: [
              {
                field: 'status',
                fieldId: 'status',
                from: '3',
                fromString: STATUS_NAMES[issue.category],
                to: '10001',
                toString: 'Done',
              },
            ],
          });
          issue.category = 'done';
          issue.resolved = at;
        }
        issue.labels = [...new Set([...issue.labels, `round-${round}`])];
        if (index === 0) {
          const comment = { id: dataset.sequence.comment++, authorId: issue.reporterId, text: `Round ${round}` };
          issue.comments.push({ ...comment, created: at, updated: at });
        }
        issue.updated = at;
      }
      for (let index = 0; index < 2; index += 1) addIssue(dataset, dataset.issues.length, { historiesPerIssue }, now());
    },
    /** Deletes the most recently updated issue (a full sync must remove it from the lake). */
    remove() {
      const newest = dataset.issues.reduce((latest, issue) => (issue.updated > latest.updated ? issue : latest));
      dataset.issues.splice(dataset.issues.indexOf(newest), 1);
    },
    /** Takes an issue off the board (the board's filter no longer matches it). */
    moveOffBoard(key: string) {
      const index = dataset.issues.findIndex((issue) => issue.key === key);
      return index >= 0 ? dataset.issues.splice(index, 1)[0] : undefined;
    },
    /** Gives half the issues one update time. */
    makeTies() {
      const at = now();
      dataset.issues.forEach((issue, index) => {
        if (index % 2 === 0) issue.updated = at;
      });
    },
    /** Stamps an issue as edited at an instant (the minute-boundary tests). */
    touch(key: string, at: number) {
      const issue = dataset.issues.find((candidate) => candidate.key === key)!;
      issue.updated = at;
      issue.summary = `${issue.summary} (touched)`;
      return issue;
    },
  };
}

export type FakeJira = Awaited<ReturnType<typeof startFakeJira>>;

/** A working connection to a fake, for its deployment. */
export function connectionFor(fake: { url: string; deployment: Deployment }, id = 1) {
  return fake.deployment === 'Cloud'
    ? { id, endpoint: fake.url, auth: { type: 'basic' as const, email: CLOUD_EMAIL, apiToken: CLOUD_API_TOKEN } }
    : { id, endpoint: fake.url, auth: { type: 'bearer' as const, token: DATA_CENTER_TOKEN } };
}
