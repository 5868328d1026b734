import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FakeApi, startFakeApi } from '../../../testkit/src/fake-api/fake-api.js';
import { LakeError } from '../errors/lake-error.js';
import { eventually, failure, fast, holdAnswers } from './__fixtures__/api-test-helpers.js';
import { type ApiClient, createApiClient } from './api-client.js';
import type { ResponseContext } from './response-verdict.js';

let api: FakeApi;
afterEach(async () => {
  await api?.close();
});

describe('got’s hooks', () => {
  it('runs got’s beforeRequest and afterResponse hooks on every attempt', async () => {
    api = await startFakeApi();
    api.route('GET', '/things', (request) => ({ body: { trace: request.headers['x-trace'] } }));
    api.fault({ kind: { type: 'status', status: 502 } });
    const seen: number[] = [];
    const client = createApiClient({
      baseUrl: api.url,
      retry: fast,
      hooks: {
        beforeRequest: [
          (options) => {
            options.headers['x-trace'] = 'abc';
          },
        ],
        afterResponse: [
          (response) => {
            seen.push(response.statusCode);
            return response;
          },
        ],
      },
    });
    expect((await client.get<{ trace: string }>('/things')).body.trace).toBe('abc');
    expect(seen).toEqual([502, 200]);
  });
});

describe('classifyResponse', () => {
  it('decides first; what it leaves undecided gets the standard rules', async () => {
    api = await startFakeApi();
    let polls = 0;
    api.route('GET', '/export', () => ({ body: { state: ++polls < 3 ? 'busy' : 'done' } }));
    api.route('GET', '/teapot', () => ({ status: 418, body: { message: 'I am a teapot' } }));
    api.route('GET', '/conflict', () => ({ status: 409, body: { message: 'already there' } }));
    api.route('GET', '/flaky', () => ({ body: { ok: true } }));
    api.fault({ match: { path: '/flaky' }, kind: { type: 'status', status: 502 } });
    const seen: Array<[string, number]> = [];
    const client = createApiClient({
      baseUrl: api.url,
      retry: fast,
      hooks: {
        classifyResponse(response) {
          seen.push([response.request.path, response.status]);
          if (response.body.includes('"busy"')) return { kind: 'retry' };
          if (response.status === 418) return { kind: 'fail', code: 'HTTP_NOT_FOUND' };
          if (response.status === 409) return { kind: 'ok' };
          return undefined;
        },
      },
    });
    // A 200 the provider calls a retry is sent again until it says otherwise.
    expect((await client.get<{ state: string }>('/export')).body.state).toBe('done');
    const teapot = await failure(client.get('/teapot'));
    expect([teapot.code, teapot.attempts]).toEqual(['HTTP_NOT_FOUND', 1]);
    expect(teapot.message).toContain('418: I am a teapot');
    expect((await client.get('/conflict')).status).toBe(409);
    // Undecided: the standard rules retry the 502.
    expect((await client.get<{ ok: boolean }>('/flaky')).body.ok).toBe(true);
    expect(seen).toEqual([
      ['/export', 200],
      ['/export', 200],
      ['/export', 200],
      ['/teapot', 418],
      ['/conflict', 409],
      ['/flaky', 502],
      ['/flaky', 200],
    ]);
  });

  it('a limit scoped to one credential rests it while the pool goes on with the others', async () => {
    api = await startFakeApi();
    api.route('GET', '/things', (request) =>
      request.token === 'alpha' ? { status: 400, body: { message: 'daily quota spent' } } : { body: [] },
    );
    const hits: number[] = [];
    const client = createApiClient({
      baseUrl: api.url,
      auth: { type: 'pool', tokens: ['alpha', 'beta'] },
      retry: { ...fast, maxRateLimitWaitMs: 60_000 },
      hooks: {
        classifyResponse(response) {
          if (!response.body.includes('quota spent')) return undefined;
          hits.push(response.rateLimitHits);
          return { kind: 'rate-limited', scope: 'credential', waitUntil: response.now + 60 * 60_000 };
        },
      },
    });
    for (let index = 0; index < 3; index += 1) await client.get('/things');
    expect(api.log.map((record) => `${record.token} ${record.status}`)).toEqual([
      'alpha 400',
      'beta 200',
      'beta 200',
      'beta 200',
    ]);
    expect(hits).toEqual([0]);
  });

  it('fails a request whose limit never lifts instead of waiting forever', async () => {
    api = await startFakeApi();
    api.route('GET', '/things', () => ({ status: 400, body: { message: 'slow down' } }));
    const hits: number[] = [];
    const client = createApiClient({
      baseUrl: api.url,
      retry: { ...fast, limit: 2 },
      hooks: {
        classifyResponse(response) {
          hits.push(response.rateLimitHits);
          return { kind: 'rate-limited', scope: 'budget', waitUntil: response.now + 1 };
        },
      },
    });
    const error = await failure(client.get('/things'));
    expect(error.code).toBe('HTTP_RATE_LIMITED');
    expect(error.message).toContain('slow down');
    // Twice the retry limit, plus one for each credential, then no more.
    expect(hits).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('readQuota', () => {
  it('reads an API’s own quota headers, so a spent credential rests before the API refuses it', async () => {
    api = await startFakeApi();
    const used = new Map<string, number>();
    api.route('GET', '/things', (request) => {
      const count = (used.get(request.token!) ?? 0) + 1;
      used.set(request.token!, count);
      const headers = { 'x-quota-left': 2 - count, 'x-quota-reset-ms': Date.now() + 60 * 60_000 };
      return count > 2 ? { status: 400, headers, body: { message: 'over quota' } } : { headers, body: [] };
    });
    const client = createApiClient({
      baseUrl: api.url,
      auth: { type: 'pool', tokens: ['alpha', 'beta'] },
      retry: { ...fast, maxRateLimitWaitMs: 60_000 },
      hooks: {
        readQuota: (headers) => ({
          remaining: Number(headers['x-quota-left']),
          resetAt: Number(headers['x-quota-reset-ms']),
        }),
      },
    });
    for (let index = 0; index < 4; index += 1) await client.get('/things');
    expect((await failure(client.get('/things'))).code).toBe('HTTP_RATE_LIMITED');
    expect(api.log.map((record) => record.status)).toEqual([200, 200, 200, 200]);
  });
});

describe('errorMessage', () => {
  /** Jira's error body: `errorMessages` and a field → message map `errors`. */
  const jiraErrorMessage = (body: string) => {
    const parsed = JSON.parse(body) as { errorMessages: string[]; errors: Record<string, string> };
    const fields = Object.entries(parsed.errors).map(([field, message]) => `${field}: ${message}`);
    return [...parsed.errorMessages, ...fields].join('; ') || undefined;
  };

  it('gives the ApiError the reason the provider’s body states, and falls back when the hook cannot read it', async () => {
    api = await startFakeApi();
    api.route('GET', '/issue/:key', () => ({
      status: 404,
      body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} },
    }));
    api.route('GET', '/create', () => ({
      status: 400,
      body: { errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } },
    }));
    api.route('GET', '/proxy', () => ({ status: 400, body: '<html>Bad request</html>' }));
    const client = createApiClient({ baseUrl: api.url, hooks: { errorMessage: jiraErrorMessage } });
    const missing = await failure(client.get('/issue/LAKE-1'));
    expect([missing.code, missing.message]).toEqual([
      'HTTP_NOT_FOUND',
      expect.stringContaining('404: Issue does not exist or you do not have permission to see it.'),
    ]);
    expect((await failure(client.get('/create'))).message).toContain(
      '400: summary: You must specify a summary of the issue.',
    );
    expect((await failure(client.get('/proxy'))).message).toContain('400: "<html>Bad request</html>"');
  });
});

describe('prepareRequest', () => {
  /** A Jenkins that wants a crumb on every POST, and changes its crumb when the test says. */
  function jenkins(fakeApi: FakeApi) {
    const state = { crumb: 'crumb-1', issued: 0 };
    fakeApi.route('GET', '/crumbIssuer/api/json', () => {
      state.issued += 1;
      return { body: { crumbRequestField: 'Jenkins-Crumb', crumb: state.crumb } };
    });
    fakeApi.route('POST', '/job/nightly/build', (request) =>
      request.headers['jenkins-crumb'] === state.crumb
        ? { status: 201, body: {} }
        : { status: 403, body: { message: 'No valid crumb was included in the request' } },
    );
    return state;
  }

  function crumbHooks() {
    let crumb: Promise<Record<string, string>> | undefined;
    const fetchCrumb = async (client: ApiClient) => {
      const { body } = await client.get<{ crumbRequestField: string; crumb: string }>('/crumbIssuer/api/json');
      return { [body.crumbRequestField]: body.crumb };
    };
    return {
      prepareRequest(request: { method?: string }, context: { renew: boolean; client: ApiClient }) {
        // The crumb's own GET runs this hook too: only POSTs carry one.
        if (request.method !== 'POST') return undefined;
        if (crumb === undefined || context.renew) crumb = fetchCrumb(context.client);
        return crumb;
      },
      classifyResponse: (response: ResponseContext) =>
        response.status === 403 && /No valid crumb/.test(response.body)
          ? ({ kind: 'retry', renew: true } as const)
          : undefined,
    };
  }

  it('fetches a crumb through the client once, and again when the server refuses it', async () => {
    api = await startFakeApi();
    const server = jenkins(api);
    // One request in flight at a time: the crumb is fetched outside the POST's slot, or this would hang.
    const client = createApiClient({ baseUrl: api.url, retry: fast, budget: { maxInFlight: 1 }, hooks: crumbHooks() });
    const build = () => client.request({ method: 'POST', path: '/job/nightly/build', json: {} });
    expect((await build()).status).toBe(201);
    expect((await build()).status).toBe(201);
    server.crumb = 'crumb-2';
    // A POST is not idempotent, but a refused crumb means Jenkins did nothing: it is sent again.
    expect((await build()).status).toBe(201);
    expect(server.issued).toBe(2);
    expect(api.log.map((record) => `${record.method} ${record.status}`)).toEqual([
      'GET 200',
      'POST 201',
      'POST 201',
      'POST 403',
      'GET 200',
      'POST 201',
    ]);
  });
});

describe('named budgets', () => {
  it('hold an endpoint to its own limit on top of the shared budget', async () => {
    api = await startFakeApi();
    const pipelines = holdAnswers(api, '/pipelines/:id');
    const things = holdAnswers(api, '/things/:id');
    const client = createApiClient({
      baseUrl: api.url,
      budget: { maxInFlight: 4 },
      budgets: { pipelines: { maxInFlight: 1 } },
    });
    const all = Promise.all([
      ...[1, 2, 3].map((id) => client.get(`/pipelines/${id}`, { budget: 'pipelines' })),
      ...[1, 2].map((id) => client.get(`/things/${id}`)),
    ]);
    for (let answered = 0; answered < 3; answered += 1) {
      // Once every request the budgets let go has reached the server, what it holds is all in flight.
      await vi.waitFor(() => {
        expect(pipelines.held.length).toBeGreaterThan(0);
        expect(api.stats.requests).toBe(client.budget.started);
      }, eventually);
      expect(pipelines.held).toHaveLength(1);
      pipelines.held.shift()!();
    }
    // The other endpoint was not held back by the pipelines' limit: both its requests were in flight meanwhile.
    expect(things.held).toHaveLength(2);
    things.letAllThrough();
    await all;
  });

  it('a limit scoped to the endpoint pauses its budget only', async () => {
    api = await startFakeApi();
    api.route('GET', '/pipelines/:id', () => ({ body: {} }));
    api.route('GET', '/things', () => ({ body: { ok: true } }));
    api.fault({
      match: { path: '/pipelines/1' },
      kind: { type: 'status', status: 429, body: { message: 'pipelines' } },
    });
    const controller = new AbortController();
    const client = createApiClient({
      baseUrl: api.url,
      signal: controller.signal,
      budgets: { pipelines: { maxInFlight: 4 } },
      hooks: {
        classifyResponse: (response) =>
          response.status === 429 && response.request.budget === 'pipelines'
            ? { kind: 'rate-limited', scope: 'endpoint', waitUntil: response.now + 10 * 60_000 }
            : undefined,
      },
    });
    const limited = client.get('/pipelines/1', { budget: 'pipelines' });
    limited.catch(() => {});
    await vi.waitFor(() => expect(api.log.map((record) => record.status)).toEqual([429]), eventually);
    // The pause is set before the limited request gives its slot back; wait until it has.
    await vi.waitFor(() => expect(client.budget.inFlight).toBe(0), eventually);
    const queued = client.get('/pipelines/2', { budget: 'pipelines' });
    queued.catch(() => {});
    // Ten minutes of pause for the pipelines; the rest of the API is answered meanwhile.
    expect((await client.get<{ ok: boolean }>('/things')).body.ok).toBe(true);
    controller.abort(new Error('test over'));
    await expect(limited).rejects.toThrow('test over');
    await expect(queued).rejects.toThrow('test over');
    expect(api.log.map((record) => record.path)).toEqual(['/pipelines/1', '/things']);
  });

  it('a request naming a budget the client does not have is a connector error naming both', async () => {
    api = await startFakeApi();
    const client = createApiClient({ baseUrl: api.url, budgets: { pipelines: {} }, source: 'gitlab' });
    const error = await client.get('/jobs', { budget: 'jobs' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LakeError);
    expect((error as LakeError).code).toBe('CONNECTOR_INVALID');
    expect((error as LakeError).message).toBe(
      `[lake] [gitlab] request budget "jobs" is not one of the client's budgets (pipelines)`,
    );
    expect(api.log).toEqual([]);
  });
});
