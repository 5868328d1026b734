import { accountIdOf } from '../mappings.js';
import type { JiraChangelogItem, JiraIssue } from './jira-payloads.js';
import type { StatusCategories } from './status-categories.js';

/** The categories of the statuses a status change is from and to, where the site's statuses name them. */
function statusCategoriesOf(item: JiraChangelogItem, categories: StatusCategories) {
  if ((item.fieldId ?? item.field) !== 'status') return { fromStatusCategory: null, toStatusCategory: null };
  const categoryOf = (id: string | null | undefined) => (id ? (categories.get(id) ?? null) : null);
  return { fromStatusCategory: categoryOf(item.from), toStatusCategory: categoryOf(item.to) };
}

/** A text field of an item read by name (`toString` is also every object's method). */
function textField(item: object, name: string): string {
  const value = Object.hasOwn(item, name) ? (item as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

/** Why a changelog item is kept in the tool table but not converted. */
export const SKIP_REASONS = {
  noField: 'the item names no field',
  noHistoryId: 'its history has no id',
} as const;

export interface ChangelogRows {
  /** One tool row per item returned, skipped ones with their reason. */
  rows: Array<Record<string, unknown>>;
  /** The reasons of the skipped items, one per item. */
  skipped: string[];
  /** Histories Jira has but did not return with the issue (more than the expand's page). */
  missing: number;
}

/**
 * The changelog items of an issue as tool rows: every item returned becomes a row, and one that
 * cannot become an `issue_changelogs` row says why in `skipReason` — nothing is dropped silently.
 */
export function changelogRows(issue: JiraIssue, categories: StatusCategories = new Map()): ChangelogRows {
  const issueId = Number(issue.id);
  const histories = issue.changelog?.histories ?? [];
  const rows: ChangelogRows['rows'] = [];
  const skipped: string[] = [];
  for (const [historyIndex, history] of histories.entries()) {
    const changelogId = Number(history.id);
    const seen = new Map<string, number>();
    for (const [itemIndex, item] of (history.items ?? []).entries()) {
      const field = item.field ?? '';
      const occurrence = seen.get(field) ?? 0;
      seen.set(field, occurrence + 1);
      const reason =
        history.id === undefined || !Number.isFinite(changelogId)
          ? SKIP_REASONS.noHistoryId
          : field === ''
            ? SKIP_REASONS.noField
            : '';
      if (reason) skipped.push(reason);
      rows.push({
        issueId,
        // A history without an id still gets a row, keyed by its place (negative: clear of real ids).
        changelogId: reason === SKIP_REASONS.noHistoryId ? -(historyIndex + 1) : changelogId,
        itemIndex,
        fieldOccurrence: occurrence,
        field,
        fieldId: item.fieldId ?? '',
        fieldType: item.fieldtype ?? '',
        authorId: accountIdOf(history.author) ?? '',
        authorName: history.author?.displayName ?? '',
        fromValue: item.from ?? '',
        fromString: item.fromString ?? '',
        toValue: item.to ?? '',
        toString: textField(item, 'toString'),
        changedAt: history.created ?? null,
        skipReason: reason,
        ...statusCategoriesOf(item, categories),
      });
    }
  }
  const total = issue.changelog?.total ?? histories.length;
  return { rows, skipped, missing: Math.max(0, total - histories.length) };
}
