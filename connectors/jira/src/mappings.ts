import type { JiraScopeConfig } from './settings.js';

/** Jira's status categories (`new`, `indeterminate`, `done`) as DevLake's statuses. */
export function standardStatus(categoryKey: string | null | undefined): 'TODO' | 'IN_PROGRESS' | 'DONE' | 'OTHER' {
  switch (categoryKey) {
    case 'new':
      return 'TODO';
    case 'indeterminate':
      return 'IN_PROGRESS';
    case 'done':
      return 'DONE';
    default:
      return 'OTHER';
  }
}

/** The scope config's mapping of the Jira type, else DevLake's fallback: the type's name upper-cased. */
export function standardType(typeName: string, config: Pick<JiraScopeConfig, 'typeMappings'>): string {
  return config.typeMappings[typeName]?.standardType ?? typeName.toUpperCase();
}

/** Whole minutes from `from` to `to`; null when either is unknown or the order is reversed. */
export function minutesBetween(from: Date | null, to: Date | null): number | null {
  if (!from || !to) return null;
  const minutes = Math.floor((to.getTime() - from.getTime()) / 60_000);
  return minutes >= 0 ? minutes : null;
}

/** A Jira user's id: `accountId` on Cloud, `key` (else `name`) on Data Center. */
export function accountIdOf(user: unknown): string | undefined {
  if (typeof user !== 'object' || user === null) return undefined;
  const { accountId, key, name } = user as Record<string, unknown>;
  const id = accountId ?? key ?? name;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** A number from a custom field (story points), or null. */
export function numberOrNull(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** The key an epic-link field holds: a key string, or an issue object's `key`. */
export function keyOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string')
    return (value as { key: string }).key;
  return '';
}
