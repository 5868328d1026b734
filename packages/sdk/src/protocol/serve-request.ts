import { z } from 'zod';
import { jsonSyntaxErrorLocation } from '../cli/json-syntax-error.js';
import { LakeError } from '../errors/lake-error.js';

/*
 * The other direction of the line protocol, for a long-lived connector process:
 * `<bin> serve --json` reads one request per line on stdin and answers each, one at a time
 * and in order, with exactly the lines `<bin> sync --context - --json [--full]` prints for
 * that context (`sync-start` … `result`, or an `error`), then a `request-end` line carrying
 * the exit code `sync` would have exited with. A request whose context is invalid gets its
 * `error` line and `request-end` with 2; the process goes on serving. When stdin ends the
 * process closes its database and exits 0; SIGINT/SIGTERM stop the current request after its
 * current batch (`result` with status `aborted`, `request-end` with 130) and the process exits 130.
 *
 * A runtime knows a connector can serve when its `info --json` lists `serve` in `commands`
 * (an SDK older than the command prints no `commands`).
 */

/** One sync of one scope: the context `sync --context -` would read, and its flags. */
export const syncRequestSchema = z.object({
  type: z.literal('sync-request'),
  /** `{ connection, scope, scopeConfig, options }`, validated as `sync` validates it. */
  context: z.unknown(),
  /** `--full`. */
  full: z.boolean().default(false),
  /** `--log-level`. */
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type SyncRequestLine = z.output<typeof syncRequestSchema>;

/**
 * Reads one request line. Throws `CONTEXT_INVALID` for a line that is not JSON (by line and
 * column, never quoting it: it holds secrets) and `USAGE` for one that is not a request.
 */
export function parseSyncRequestLine(line: string): SyncRequestLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    const location = jsonSyntaxErrorLocation(line);
    const where = location ? ` at column ${location.column}` : '';
    throw new LakeError('CONTEXT_INVALID', `request is not valid JSON (syntax error${where})`);
  }
  const parsed = syncRequestSchema.safeParse(value);
  if (!parsed.success) {
    // Paths and messages only: zod's messages never quote a received string.
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(request)'}: ${issue.message}`);
    throw new LakeError('USAGE', `not a sync request: ${issues.join('; ')}`);
  }
  if (parsed.data.context === undefined) throw new LakeError('USAGE', 'not a sync request: context: Required');
  return parsed.data;
}
