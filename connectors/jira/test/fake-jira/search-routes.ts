import { type FakeRequest, type FakeResponse, paginateByOffset } from '@lake/testkit/fake-api';
import type { FakeIssue } from './dataset.js';
import { badRequest, errorBody, notFound } from './jira-errors.js';
import { JqlError, type JqlQuery, parseJql } from './jql.js';

type Route = (path: string, handler: (request: FakeRequest) => FakeResponse, method?: string) => unknown;

/** The saved filter of the board: every issue of the dataset. */
export const BOARD_FILTER_ID = '10000';
/** Issues per page at most, when fields are asked (Jira's cap). */
const MAX_RESULTS = 100;

export interface SearchRoutesOptions {
  route: Route;
  deployment: 'Cloud' | 'DataCenter';
  issues: FakeIssue[];
  zone: string;
  issueJson: (issue: FakeIssue, expandChangelog: boolean) => object;
}

/** The issues a JQL query lists, in its order; or Jira's 400 for a query it cannot run. */
export function listIssues(issues: FakeIssue[], jql: string, zone: string): FakeIssue[] | FakeResponse {
  let query: JqlQuery;
  try {
    query = parseJql(jql, zone);
  } catch (error) {
    if (error instanceof JqlError) return badRequest([error.message]);
    throw error;
  }
  if (query.filter !== undefined && query.filter !== BOARD_FILTER_ID)
    return badRequest([`The value '${query.filter}' does not exist for the field 'filter'.`]);
  const { field, descending } = query.orderBy;
  const sortKey = (issue: FakeIssue) => (field === 'key' ? issue.id : issue[field]);
  const from = query.updatedFrom;
  return issues
    .filter((issue) => from === undefined || issue.updated >= from)
    .sort((left, right) => (sortKey(left) - sortKey(right) || left.id - right.id) * (descending ? -1 : 1));
}

/** A POST search's JSON body as the query parameters of the GET one. */
function asQuery(request: FakeRequest): FakeRequest {
  if (request.method !== 'POST') return request;
  const body = (request.body ?? {}) as Record<string, unknown>;
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(body))
    if (value !== undefined && value !== null) query.set(name, Array.isArray(value) ? value.join(',') : String(value));
  return { ...request, query };
}

const REMOVED: FakeResponse = {
  status: 410,
  body: errorBody(['The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.']),
};

/**
 * Jira's issue searches: on Data Center `/rest/api/2/search` (`startAt`/`maxResults`/`total`),
 * on Cloud the token-paged `/rest/api/3/search/jql` (`nextPageToken`, `isLast`; only ids unless
 * `fields` are asked), GET with parameters or POST with a JSON body. Cloud answers the old search
 * with a 410, Data Center the new one with a 404, as they do.
 */
export function addSearchRoutes(options: SearchRoutesOptions): void {
  const { route, deployment } = options;
  for (const method of ['GET', 'POST']) {
    route(
      '/rest/api/:version/search',
      (request) => (deployment === 'Cloud' ? REMOVED : offsetSearch(asQuery(request), options)),
      method,
    );
    route(
      '/rest/api/3/search/jql',
      (request) => (deployment === 'Cloud' ? tokenSearch(asQuery(request), options) : notFound('Resource')),
      method,
    );
  }
}

const expandsChangelog = (request: FakeRequest) => (request.query.get('expand') ?? '').split(',').includes('changelog');

function offsetSearch(request: FakeRequest, options: SearchRoutesOptions): FakeResponse {
  const listed = listIssues(options.issues, request.query.get('jql') ?? '', options.zone);
  if (!Array.isArray(listed)) return listed;
  request.query.set('maxResults', String(Math.min(MAX_RESULTS, Number(request.query.get('maxResults') ?? 50))));
  const page = paginateByOffset(listed, request, 'issues');
  const body = page.body as { issues: FakeIssue[] };
  const expand = expandsChangelog(request);
  return {
    ...page,
    body: { expand: 'schema,names', ...body, issues: body.issues.map((issue) => options.issueJson(issue, expand)) },
  };
}

function tokenSearch(request: FakeRequest, options: SearchRoutesOptions): FakeResponse {
  const jql = request.query.get('jql');
  if (!jql)
    return badRequest([], { jql: 'Unbounded JQL queries are not allowed here. Please add a search restriction.' });
  const listed = listIssues(options.issues, jql, options.zone);
  if (!Array.isArray(listed)) return listed;
  const token = request.query.get('nextPageToken');
  const start = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
  const maxResults = Math.min(MAX_RESULTS, Number(request.query.get('maxResults') ?? 50));
  // The token is the offset, as the offset pages are (so the kit's hostilities apply the same way).
  request.query.delete('nextPageToken');
  request.query.set('startAt', String(start));
  request.query.set('maxResults', String(maxResults));
  const page = paginateByOffset(listed, request, 'issues');
  const body = page.body as { issues: FakeIssue[] };
  const end = start + maxResults;
  const fields = request.query.get('fields');
  const expand = expandsChangelog(request);
  return {
    ...page,
    body: {
      issues: body.issues.map((issue) => (fields ? options.issueJson(issue, expand) : { id: String(issue.id) })),
      ...(end < listed.length ? { nextPageToken: Buffer.from(String(end)).toString('base64url') } : {}),
      isLast: end >= listed.length,
    },
  };
}
