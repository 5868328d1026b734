import type { z } from 'zod';
import { LakeError } from './lake-error.js';

/** One invalid field: where it is (dotted path from the root of the input) and what is wrong. */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * Invalid configuration. The message names every bad field at once, so a user fixes
 * them in one go: `[lake] [github] invalid connection: token: required; endpoint: invalid URL`.
 */
export class ConfigError extends LakeError {
  readonly issues: FieldIssue[];

  constructor(what: string, issues: FieldIssue[], source?: string) {
    const list = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');
    super('CONFIG_INVALID', `invalid ${what}: ${list}`, { source, details: { what, issues } });
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Turns zod issues into field issues, prefixing each path with `root` (e.g. `connection`). */
export function fieldIssuesFromZod(error: z.ZodError, root = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const segments = [...(root ? [root] : []), ...issue.path.map(String)];
    return { path: segments.join('.'), message: issue.message };
  });
}
