import type { IncomingMessage } from 'node:http';
import { WebhookError } from './webhook-error.js';

/** Bodies over this size are refused (413) unless the receiver is given another limit. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a request body of at most `limit` bytes and parses it as a JSON object. A declared
 * `Content-Length` over the limit is refused before anything is read; a body that grows past it
 * is refused as soon as it does.
 */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
  } catch (error) {
    throw new WebhookError('WEBHOOK_BODY_INVALID', `the body is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new WebhookError('WEBHOOK_BODY_INVALID', 'the body must be a JSON object');
  return parsed;
}

function tooLarge(limit: number): WebhookError {
  return new WebhookError('WEBHOOK_BODY_TOO_LARGE', `the body is larger than ${limit} bytes`);
}
