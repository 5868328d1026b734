import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_POLICY, sleep } from './retry-policy.js';

describe('the backoff policy', () => {
  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 0, () => 1)).toBe(500);
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 3, () => 1)).toBe(4000);
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 20, () => 1)).toBe(30_000);
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 3, () => 0)).toBe(0);
  });

  it('sleeps until aborted, with the abort reason', async () => {
    const controller = new AbortController();
    const sleeping = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
  });
});
