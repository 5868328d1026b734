import { describe, expect, it } from 'vitest';
import { isLakeError, LakeError, messageOf } from './lake-error.js';

describe('messageOf', () => {
  it('says what was thrown, whatever it was', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(messageOf(new LakeError('USAGE', 'bad flag'))).toBe('[lake] bad flag');
    expect(messageOf('plain text')).toBe('plain text');
    expect(messageOf({ status: 500 })).toBe('{"status":500}');
    expect(messageOf(undefined)).toBe('undefined');
    expect(messageOf(Symbol('odd'))).toBe('Symbol(odd)');
    expect(messageOf(circular)).toBe('[object Object]');
  });
});

describe('LakeError', () => {
  it('is told apart by code', () => {
    const error = new LakeError('HTTP_AUTH', 'token refused', { source: 'github', details: { status: 401 } });
    expect(isLakeError(error, 'HTTP_AUTH')).toBe(true);
    expect(isLakeError(error, 'HTTP_ERROR')).toBe(false);
    expect(error.toJSON()).toEqual({
      name: 'LakeError',
      code: 'HTTP_AUTH',
      message: '[lake] [github] token refused',
      details: { status: 401 },
    });
  });
});
