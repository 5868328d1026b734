import { createHash, timingSafeEqual } from 'node:crypto';

/** Addresses only this machine can reach: `lake ui` serves them without a token. */
export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Whether `given` is the token, compared in constant time: both sides are hashed first, so
 * neither their lengths nor a common prefix shows in the time taken.
 */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(expected), digest(given));
}

/** The token a request carries: `Authorization: Bearer <token>`, or `?token=` (EventSource sets no headers). */
export function requestToken(authorization: string | undefined, url: URL): string | undefined {
  const bearer = authorization?.match(/^Bearer (.+)$/i)?.[1];
  return bearer ?? url.searchParams.get('token') ?? undefined;
}
