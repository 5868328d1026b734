import { isLakeError, LakeError } from '@lake/sdk/host';
import { describe, expect, it } from 'vitest';
import { isRuntimeError, RuntimeError } from './errors.js';

describe('one error hierarchy', () => {
  it("the runtime's errors are LakeErrors with the runtime's codes, their messages as written", () => {
    const error = new RuntimeError('LOCK_MISMATCH', 'lake.lock names git 0.1.0, lake.yaml asks for 0.2.0', {
      details: { connector: 'git' },
    });
    expect(error).toBeInstanceOf(LakeError);
    expect(isLakeError(error, 'LOCK_MISMATCH')).toBe(true);
    expect(isRuntimeError(error, 'LOCK_MISMATCH')).toBe(true);
    expect(error.message).toBe('lake.lock names git 0.1.0, lake.yaml asks for 0.2.0');
    expect(error.toJSON()).toEqual({
      name: 'RuntimeError',
      code: 'LOCK_MISMATCH',
      message: 'lake.lock names git 0.1.0, lake.yaml asks for 0.2.0',
      details: { connector: 'git' },
    });
  });

  it("the SDK's errors keep their [lake] prefix and are not the runtime's", () => {
    const error = new LakeError('CONFIG_INVALID', 'connection.token: required', { source: 'github' });
    expect(error.message).toBe('[lake] [github] connection.token: required');
    expect(isRuntimeError(error)).toBe(false);
    expect(isLakeError(error, 'CONFIG_INVALID')).toBe(true);
  });
});
