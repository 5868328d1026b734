import { randomBytes } from 'node:crypto';
import { type FakeRequest, type FakeResponse, recordTestedVersion, startFakeApi } from '@lake/testkit/fake-api';
import type { FakeJob, JenkinsDataset } from './dataset.js';
import { buildJson, describeJson, itemSummary, jobJson } from './jenkins-json.js';
import { parseTree, rangeOf, selectTree, type TreeField, TreeSyntaxError } from './tree.js';

export const USER = 'alice';
export const API_TOKEN = '11d2a8f0c0ffee5eed0123456789abcdef';
export const REVOKED_TOKEN = '11aa00000000000000000000000000dead';
export const JENKINS_VERSION = '2.479.3';
const MAX_DEPTH = 4;

export interface FakeJenkinsOptions {
  port?: number;
}

const html = (status: number, title: string, text: string, headers: Record<string, string> = {}): FakeResponse => ({
  status,
  headers: { 'content-type': 'text/html;charset=utf-8', ...headers },
  body: `<html><head><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`,
});

const notFound = () => html(404, 'Not Found', 'Not Found');

/** The user of `Authorization: Basic …`: ok, wrong (401), or none at all (403, anonymous may not read). */
function authenticate(request: FakeRequest): FakeResponse | undefined {
  const header = request.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) {
    return html(403, 'Authentication required', 'You are authenticated as: anonymous', {
      'x-you-are-authenticated-as': 'anonymous',
      'x-required-permission': 'hudson.model.Hudson.Read',
    });
  }
  const [user, token] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  if (user === USER && token === API_TOKEN) return undefined;
  return html(401, 'Error 401 Unauthorized', `Invalid password/token for user: ${user}`, {
    'www-authenticate': 'Basic realm="Jenkins"',
  });
}

/**
 * A fake Jenkins on 127.0.0.1, written from the remote access API's documentation: `tree=` field
 * selection with nested fields and `{M,N}` ranges, `allBuilds` newest first, Pipeline Stage
 * View's `/wfapi/describe`, CSRF crumbs (`/crumbIssuer/api/json`; a POST without the crumb gets
 * 403), basic auth with an API token (401 for a wrong one, 403 for anonymous, HTML error pages),
 * folders and multibranch pipelines, and `X-Jenkins` on every answer. The kit's faults apply;
 * its hostility repeats builds across `allBuilds` ranges and changes the builds while they are
 * read. It never reorders builds: `allBuilds` is Jenkins' run list, sorted by number.
 */
export async function startFakeJenkins(dataset: JenkinsDataset, options: FakeJenkinsOptions = {}) {
  const api = await startFakeApi({ port: options.port ?? 0 });
  const crumb = randomBytes(16).toString('hex');
  const guarded =
    (handler: (request: FakeRequest) => FakeResponse) =>
    (request: FakeRequest): FakeResponse => {
      recordTestedVersion('Jenkins remote access API', JENKINS_VERSION);
      const response = authenticate(request) ?? handler(request);
      return { ...response, headers: { 'x-jenkins': JENKINS_VERSION, ...response.headers } };
    };
  const treeOf = (request: FakeRequest) => {
    const text = request.query.get('tree');
    return text ? parseTree(text) : undefined;
  };
  const withTree = (request: FakeRequest, answer: (tree: TreeField[] | undefined) => FakeResponse): FakeResponse => {
    try {
      return answer(treeOf(request));
    } catch (error) {
      if (error instanceof TreeSyntaxError) return html(400, 'Bad Request', error.message);
      throw error;
    }
  };

  api.route(
    'GET',
    '/api/json',
    guarded((request) =>
      withTree(request, (tree) => {
        const top = [...dataset.jobs.values()].filter((job) => !job.fullName.includes('/'));
        const body = { _class: 'hudson.model.Hudson', jobs: top.map((job) => itemSummary(job, request.baseUrl)) };
        return { body: selectTree(body, tree) };
      }),
    ),
  );
  api.route(
    'GET',
    '/me/api/json',
    guarded((request) =>
      withTree(request, (tree) => ({
        body: selectTree(
          {
            _class: 'hudson.model.User',
            id: USER,
            fullName: 'Alice Example',
            absoluteUrl: `${request.baseUrl}/user/${USER}`,
          },
          tree,
        ),
      })),
    ),
  );
  api.route(
    'GET',
    '/crumbIssuer/api/json',
    guarded(() => ({
      body: { _class: 'hudson.security.csrf.DefaultCrumbIssuer', crumb, crumbRequestField: 'Jenkins-Crumb' },
    })),
  );

  const jobOf = (params: Record<string, string>, depth: number) =>
    dataset.jobs.get(Array.from({ length: depth }, (_, index) => params[`j${index + 1}`]).join('/'));
  for (let depth = 1; depth <= MAX_DEPTH; depth += 1) {
    const prefix = Array.from({ length: depth }, (_, index) => `/job/:j${index + 1}`).join('');
    api.route(
      'GET',
      `${prefix}/api/json`,
      guarded((request) => {
        const job = jobOf(request.params, depth);
        return job ? withTree(request, (tree) => jobAnswer(dataset, job, request, tree)) : notFound();
      }),
    );
    api.route(
      'GET',
      `${prefix}/:number/api/json`,
      guarded((request) => {
        const build = buildOf(jobOf(request.params, depth), request.params.number);
        return build
          ? withTree(request, (tree) => ({
              body: selectTree(buildJson(build.job, build.build, request.baseUrl), tree),
            }))
          : notFound();
      }),
    );
    api.route(
      'GET',
      `${prefix}/:number/wfapi/describe`,
      guarded((request) => {
        const build = buildOf(jobOf(request.params, depth), request.params.number);
        return build?.build.stages ? { body: describeJson(build.build) } : notFound();
      }),
    );
    api.route(
      'POST',
      `${prefix}/build`,
      guarded((request) => {
        if (request.headers['jenkins-crumb'] !== crumb)
          return html(
            403,
            'Error 403 No valid crumb was included in the request',
            'No valid crumb was included in the request',
          );
        const job = jobOf(request.params, depth);
        if (!job) return notFound();
        const build = dataset.startBuild(job.fullName, true);
        return { status: 201, headers: { location: `${request.baseUrl}/queue/item/${1000 + build.number}/` } };
      }),
    );
  }
  return { api, url: `${api.url}/`, crumb, close: () => api.close() };
}

export type FakeJenkins = Awaited<ReturnType<typeof startFakeJenkins>>;

function buildOf(job: FakeJob | undefined, number: string | undefined) {
  if (!job || !/^\d+$/.test(number ?? '')) return undefined;
  const build = job.builds.find((candidate) => candidate.number === Number(number));
  return build ? { job, build } : undefined;
}

/**
 * A job's JSON. `allBuilds` (newest first) is built only for the range asked for, as Jenkins
 * loads only those builds; a hostile server repeats the build before the range.
 */
function jobAnswer(dataset: JenkinsDataset, job: FakeJob, request: FakeRequest, tree: TreeField[] | undefined) {
  const field = tree?.find((candidate) => candidate.name === 'allBuilds');
  if (!field) return { body: selectTree(jobJson(dataset, job, request.baseUrl, undefined), tree) };
  const newestFirst = [...job.builds].reverse();
  const from = field.range?.from ?? 0;
  const to = Math.min(field.range?.to ?? newestFirst.length, newestFirst.length);
  const start = request.hostility?.duplicateAcrossPages && from > 0 ? from - 1 : from;
  const builds = rangeOf(newestFirst, { from: start, to }).map((build) => buildJson(job, build, request.baseUrl));
  const body = jobJson(dataset, job, request.baseUrl, builds);
  const size = Math.max(1, to - from);
  return {
    body: selectTree(
      body,
      tree?.map((candidate) => (candidate === field ? { ...field, range: undefined } : candidate)),
    ),
    ...(field.range ? { page: { number: Math.floor(from / size) + 1, last: to >= newestFirst.length } } : {}),
  };
}
