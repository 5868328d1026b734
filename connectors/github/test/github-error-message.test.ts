import { ApiError, createApiClient } from '@lake/sdk';
import { startFakeApi } from '@lake/testkit';
import { describe, expect, it } from 'vitest';
import { githubApiHooks } from '../src/client.js';
import { githubErrorMessage } from '../src/github-error-message.js';

describe('GitHub’s error bodies', () => {
  it('states the message with the details of a validation failure', () => {
    const body = JSON.stringify({
      message: 'Validation Failed',
      errors: [
        { resource: 'Issue', field: 'title', code: 'missing_field' },
        { resource: 'Label', code: 'invalid' },
        { message: 'body is too long' },
        'ref is protected',
        42,
      ],
      documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue',
    });
    expect(githubErrorMessage(body)).toBe(
      'Validation Failed: Issue.title missing_field; Label invalid; body is too long; ref is protected',
    );
    expect(githubErrorMessage('{"message":"Not Found","documentation_url":"https://docs"}')).toBe('Not Found');
  });

  it('says nothing of a body that is not GitHub’s, for the standard reading', () => {
    expect(githubErrorMessage('<html>502 Bad Gateway</html>')).toBeUndefined();
    expect(githubErrorMessage('{"error":"proxy says no"}')).toBeUndefined();
    expect(githubErrorMessage('null')).toBeUndefined();
  });

  it('reaches the ApiError through the client', async () => {
    const api = await startFakeApi();
    try {
      api.route('GET', '/repos/o/r/issues', () => ({
        status: 422,
        body: { message: 'Validation Failed', errors: [{ resource: 'Search', field: 'q', code: 'invalid' }] },
      }));
      const client = createApiClient({ baseUrl: api.url, hooks: githubApiHooks(), source: 'github' });
      const error = await client.get('/repos/o/r/issues').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).message).toContain('422: Validation Failed: Search.q invalid');
    } finally {
      await api.close();
    }
  });
});
