import { z } from '@lake/sdk';

/** The caller's id of a deployment or incident: it keys the rows, so that a retried POST replaces instead of adding. */
export const callerId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[^\s:]+$/, 'must not contain spaces or colons (it becomes part of a domain id)');

/** An ISO 8601 date-time with its offset, e.g. 2026-12-03T10:15:00Z or 2026-12-03T11:15:00+01:00. */
export const dateTime = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-12-03T10:15:00Z' })
  .transform((value) => new Date(value));

/** Short text that goes to a varchar(255) column. */
export const shortText = z.string().max(255, 'must be at most 255 characters');

/** Long text (text columns), bounded so that one field cannot fill a body on its own. */
export const longText = z.string().max(65_535, 'must be at most 65,535 characters');

export const url = z.url({ message: 'must be an absolute URL' }).max(255, 'must be at most 255 characters');

/** A git commit id: 40 (SHA-1) or 64 (SHA-256) hexadecimal digits, stored in lower case. */
export const commitSha = z
  .string()
  .regex(/^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/, 'must be a full commit sha (40 or 64 hexadecimal digits)')
  .transform((value) => value.toLowerCase());

export const repoUrl = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');
