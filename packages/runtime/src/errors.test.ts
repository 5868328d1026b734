import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

describe("the runtime's error codes", () => {
  const root = new URL('.', import.meta.url).pathname;
  const declaration = /export type RuntimeErrorCode =([^;]*);/.exec(readFileSync(join(root, 'errors.ts'), 'utf8'));
  const codes = [...(declaration?.[1] ?? '').matchAll(/'([A-Z_]+)'/g)].map((match) => match[1] as string);
  const sources = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.test.ts') && path !== 'errors.ts')
    .map((path) => readFileSync(join(root, path), 'utf8'));

  it('are read from the declaration', () => {
    expect(codes).toContain('USAGE');
  });

  it.each(codes)('%s is raised somewhere (a code nobody raises is removed)', (code) => {
    expect(sources.some((text) => text.includes(`'${code}'`))).toBe(true);
  });
});
