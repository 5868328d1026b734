import { describe, expect, it } from 'vitest';
import { redactorFor, urlSecrets } from '../secrets/secret-redactor.js';
import { scrubWorkerEvent } from './sync-worker.js';

const job = {
  connector: 'fix',
  connectionId: 1,
  version: '1.0.0',
  integrity: 'sha512-x',
  connection: 'api',
  scopeId: 's1',
  full: false,
};

describe('a worker scrubs its queue URL from what it says', () => {
  // A literal password with an encoded '@', and a password that came in through ${QUEUE_PASSWORD}.
  const literal = urlSecrets({ value: 'postgres://lake:p%40ss-queue-77@db:5432/lake', substituted: [] });
  const substituted = urlSecrets({
    value: 'postgres://lake:from-env-secret-91@db/lake?sslpassword=key-pass-3',
    substituted: ['from-env-secret-91'],
  });
  const scrubber = redactorFor([...literal, ...substituted]);

  it('finds each credential of the URL, decoded as the driver sees it', () => {
    expect(literal).toEqual(['p@ss-queue-77']);
    expect(substituted).toEqual(['from-env-secret-91', 'from-env-secret-91', 'key-pass-3']);
  });

  it('masks them in queue errors, URL or not, and in a job’s error', () => {
    const queueError = scrubWorkerEvent(
      {
        type: 'queue-error',
        message: 'connect failed for postgres://lake:p%40ss-queue-77@db:5432/lake (password p@ss-queue-77)',
      },
      scrubber,
    );
    expect(queueError).toEqual({
      type: 'queue-error',
      message: 'connect failed for postgres://lake:[redacted]@db:5432/lake (password [redacted])',
    });
    const ended = scrubWorkerEvent(
      {
        type: 'job-end',
        jobId: '1',
        job,
        status: 'failed',
        error: 'the budget said "from-env-secret-91" and key-pass-3',
      },
      scrubber,
    );
    expect(ended).toMatchObject({ status: 'failed', error: 'the budget said "[redacted]" and [redacted]' });
    expect(JSON.stringify([queueError, ended])).not.toMatch(/p@ss|p%40ss|from-env|key-pass/);
  });

  it('leaves events without free text as they are', () => {
    const started = { type: 'job-start', jobId: '2', job, attempt: 1 } as const;
    expect(scrubWorkerEvent(started, scrubber)).toBe(started);
  });
});
