import type { RestCursor } from '@lake/sdk';
import type { GitlabTypes } from '../settings.js';

/**
 * The cursor of GitLab's listings that take `updated_after` (inclusive) with
 * `order_by=updated_at`: the newest `updated_at` a completed run read, less a minute for changes
 * committed late and clock skew; the first run starts at the scope config's `timeAfter`.
 */
export const updatedAfter: RestCursor<GitlabTypes> = {
  field: '/updated_at',
  param: 'updated_after',
  lookback: '1m',
  start: (context) => context.scopeConfig.timeAfter,
};

/** Oldest change first, as the cursor reads best (the SDK does not rely on it). */
export const UPDATED_ASCENDING = { order_by: 'updated_at', sort: 'asc' } as const;

/** GitLab's largest page. */
export const PAGE_SIZE = 100;
