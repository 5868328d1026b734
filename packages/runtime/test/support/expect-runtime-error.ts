import { expect } from 'vitest';
import { isRuntimeError } from '../../src/errors.ts';

/** Awaits a promise that must reject with a RuntimeError of `code`; returns the error. */
export async function expectRuntimeError(promise: Promise<unknown>, code: string): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(Error);
  expect(isRuntimeError(error) ? error.code : String(error)).toBe(code);
  return error as Error;
}
