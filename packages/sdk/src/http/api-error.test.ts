import { describe, expect, it } from 'vitest';
import { Redactor } from '../secrets/redactor.js';
import { reasonFromBody, redactedApiError } from './api-error.js';

describe('the error mapping', () => {
  it('reads the reason of the common error bodies, else the start of the text', () => {
    expect(reasonFromBody('{"message":"Not Found"}')).toBe('Not Found');
    expect(reasonFromBody('{"type":"about:blank","title":"Forbidden","detail":"Token lacks scope repo"}')).toBe(
      'Token lacks scope repo',
    );
    expect(reasonFromBody('{"title":"Bad Request"}')).toBe('Bad Request');
    expect(reasonFromBody('{"error":"invalid_grant"}')).toBe('invalid_grant');
    expect(reasonFromBody('{"error":{"message":"quota exceeded"}}')).toBe('quota exceeded');
    expect(reasonFromBody('{"errors":[{"code":"missing"}]}')).toBe('[{"code":"missing"}]');
    expect(reasonFromBody('<html>Bad gateway</html>')).toBe('<html>Bad gateway</html>');
    expect(reasonFromBody('  ')).toBe('no response body');
  });

  it('masks every known secret in the reason, the body excerpt and the cause', () => {
    const redactor = new Redactor();
    redactor.add('s3cr3t-token');
    const error = redactedApiError(
      {
        code: 'HTTP_ERROR',
        reason: 'bad token s3cr3t-token',
        method: 'GET',
        url: 'https://api.example.com/things',
        attempts: 2,
        status: 500,
        body: `{"echo":"s3cr3t-token"}${'x'.repeat(1000)}`,
        cause: new Error('socket of s3cr3t-token'),
      },
      redactor,
      'demo',
    );
    expect(error.message).toBe(
      '[lake] [demo] GET https://api.example.com/things → 500: bad token [redacted] (after 2 attempts)',
    );
    expect(error.bodyExcerpt).toMatch(/^\{"echo":"\[redacted\]"\}x+$/);
    expect(error.bodyExcerpt!.length).toBeLessThanOrEqual(500);
    expect(JSON.stringify({ cause: (error.cause as Error).message })).not.toContain('s3cr3t-token');
  });
});
