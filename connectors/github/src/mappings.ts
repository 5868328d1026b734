/**
 * DevLake's mappings from GitHub's values to the domain layer's value sets.
 */

/** The first label matching `pattern`: its first capture group (trimmed of separators), or the whole label. */
export function labelValue(labels: readonly string[], pattern: string): string {
  const expression = new RegExp(pattern, 'i');
  for (const label of labels) {
    const match = expression.exec(label);
    if (!match) continue;
    const group = match[1]?.replace(/^[\s/:=_-]+|[\s/:=_-]+$/g, '');
    return group ? group : label;
  }
  return '';
}

export interface IssueTypePatterns {
  issueTypeRequirement: string;
  issueTypeBug: string;
  issueTypeIncident: string;
}

/** REQUIREMENT, BUG or INCIDENT from the labels; '' when none matches (as DevLake's GitHub converter writes). */
export function issueType(labels: readonly string[], patterns: IssueTypePatterns): { type: string; original: string } {
  const rules: Array<[string, string]> = [
    ['REQUIREMENT', patterns.issueTypeRequirement],
    ['BUG', patterns.issueTypeBug],
    ['INCIDENT', patterns.issueTypeIncident],
  ];
  for (const [type, pattern] of rules) {
    const expression = new RegExp(pattern, 'i');
    const label = labels.find((candidate) => expression.test(candidate));
    if (label) return { type, original: label };
  }
  return { type: '', original: '' };
}

type Instant = Date | string | null | undefined;

/** A datetime column's value (a Date, or text from a database that keeps it so) as a Date, or null. */
export function asDate(value: Instant): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Whole minutes between two instants, or null when either is missing. */
export function minutesBetween(from: Instant, to: Instant): number | null {
  const start = asDate(from);
  const end = asDate(to);
  return start && end ? Math.floor((end.getTime() - start.getTime()) / 60_000) : null;
}

/** Whole seconds between two instants (DevLake stores them as a float), or null when either is missing or they are reversed. */
export function secondsBetween(from: Instant, to: Instant): number | null {
  const start = asDate(from);
  const end = asDate(to);
  if (!start || !end) return null;
  const seconds = Math.floor((end.getTime() - start.getTime()) / 1000);
  return seconds < 0 ? null : seconds;
}

/** Workflow run/job conclusion → DevLake result: cancelled and timed-out runs count as failures. */
export function cicdResult(conclusion: unknown): string {
  switch (String(conclusion ?? '')) {
    case 'success':
      return 'SUCCESS';
    case 'failure':
    case 'cancelled':
    case 'timed_out':
    case 'startup_failure':
    case 'action_required':
      return 'FAILURE';
    default:
      return '';
  }
}

/** Workflow run/job status → DevLake status. */
export function cicdStatus(status: unknown): string {
  switch (String(status ?? '')) {
    case 'completed':
    case 'success':
    case 'failure':
    case 'skipped':
    case 'cancelled':
      return 'DONE';
    case 'queued':
    case 'in_progress':
    case 'waiting':
    case 'requested':
    case 'pending':
      return 'IN_PROGRESS';
    default:
      return 'OTHER';
  }
}

/** Deployment status state → DevLake result and status. */
export function deploymentOutcome(state: unknown): { result: string; status: string } {
  switch (String(state ?? '')) {
    case 'success':
      return { result: 'SUCCESS', status: 'DONE' };
    case 'failure':
    case 'error':
      return { result: 'FAILURE', status: 'DONE' };
    case 'inactive':
      return { result: '', status: 'DONE' };
    case 'in_progress':
    case 'queued':
    case 'pending':
      return { result: '', status: 'IN_PROGRESS' };
    default:
      return { result: '', status: 'OTHER' };
  }
}

/** PRODUCTION when the production pattern matches, STAGING/TESTING by name, else the tool's value upper-cased. */
export function environmentOf(name: string, productionPattern: string): string {
  if (name === '') return '';
  if (new RegExp(productionPattern, 'i').test(name)) return 'PRODUCTION';
  if (/stag/i.test(name)) return 'STAGING';
  if (/test|qa/i.test(name)) return 'TESTING';
  return name.toUpperCase();
}
