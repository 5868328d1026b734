import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FakeApi, startFakeApi } from '../../../testkit/src/fake-api/fake-api.js';
import { createLogger, type LogEntry, type Logger } from '../logging/logger.js';
import { Redactor } from '../secrets/redactor.js';
import { secret } from '../secrets/secret.js';
import { failure, fast } from './__fixtures__/api-test-helpers.js';
import { createApiClient } from './api-client.js';

// #region basic-auth
/** Jira Data Center, Jenkins and Jira Cloud (e-mail + API token) take HTTP basic auth. */
const connectionSchema = z.object({
  endpoint: z.string().url(),
  username: z.string().min(1).describe('Account name, or the e-mail address for Jira Cloud'),
  password: secret().describe('Password or API token'),
});

function createJiraClient(connection: z.output<typeof connectionSchema>, logger: Logger, redactor: Redactor) {
  return createApiClient({
    baseUrl: connection.endpoint,
    auth: { type: 'basic', username: connection.username, password: connection.password },
    logger,
    redactor,
    retry: fast,
    source: 'jira',
  });
}
// #endregion basic-auth

const PASSWORD = 'api-token-s3cr3t-0042';
const encoded = (username: string, password: string) => Buffer.from(`${username}:${password}`).toString('base64');

let api: FakeApi;
afterEach(async () => {
  await api?.close();
});

/** A server that knows one account, answers 401 with Jira's error body otherwise, and echoes the header in it. */
async function startJira(): Promise<FakeApi> {
  const server = await startFakeApi();
  server.route('GET', '/rest/api/2/myself', (request) => {
    const authorization = String(request.headers.authorization ?? '');
    if (authorization === `Basic ${encoded('ada@example.com', PASSWORD)}`)
      return { body: { emailAddress: 'ada@example.com' } };
    return { status: 401, body: { errorMessages: [`You are not authenticated (${authorization})`] } };
  });
  return server;
}

describe('basic auth', () => {
  it('sends the username and password as RFC 7617 basic credentials', async () => {
    api = await startJira();
    const connection = connectionSchema.parse({ endpoint: api.url, username: 'ada@example.com', password: PASSWORD });
    const client = createJiraClient(connection, createLogger({ sink: () => {} }), new Redactor());
    const response = await client.get<{ emailAddress: string }>('/rest/api/2/myself');
    expect(response.body.emailAddress).toBe('ada@example.com');
  });

  it('keeps the password and the encoded credentials out of errors and logs, even when the server echoes them', async () => {
    api = await startJira();
    const wrong = 'wrong-token-9999';
    const connection = connectionSchema.parse({ endpoint: api.url, username: 'ada@example.com', password: wrong });
    const entries: LogEntry[] = [];
    const redactor = new Redactor();
    const client = createJiraClient(
      connection,
      createLogger({ level: 'debug', sink: (entry) => entries.push(entry), redactor }),
      redactor,
    );
    const error = await failure(client.get('/rest/api/2/myself'));
    expect(error.status).toBe(401);
    const seen = `${error.message}\n${JSON.stringify(error)}\n${JSON.stringify(entries)}`;
    expect(seen).toContain('not authenticated');
    expect(seen).not.toContain(wrong);
    expect(seen).not.toContain(encoded('ada@example.com', wrong));
    // The schema marks the password a secret, so that the JSON Schema of the settings says so too.
    expect(String(connection.password)).not.toContain(wrong);
  });
});
