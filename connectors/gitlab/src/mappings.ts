/** DevLake's mappings from GitLab's values to the domain layer's value sets. */

type Instant = Date | string | null | undefined;

/** A datetime column's value (a Date, or text from a database that keeps it so) as a Date, or null. */
export function asDate(value: Instant): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Whole seconds between two instants, or null when either is missing or they are reversed. */
export function secondsBetween(from: Instant, to: Instant): number | null {
  const start = asDate(from);
  const end = asDate(to);
  if (!start || !end) return null;
  const seconds = Math.floor((end.getTime() - start.getTime()) / 1000);
  return seconds < 0 ? null : seconds;
}

/** Whole minutes between two instants, or null. */
export function minutesBetween(from: Instant, to: Instant): number | null {
  const seconds = secondsBetween(from, to);
  return seconds === null ? null : Math.floor(seconds / 60);
}

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

/** REQUIREMENT, BUG or INCIDENT from the labels (GitLab's own `incident` issue type counts too); '' when none matches. */
export function issueType(
  labels: readonly string[],
  gitlabType: string,
  patterns: IssueTypePatterns,
): { type: string; original: string } {
  if (gitlabType === 'incident') return { type: 'INCIDENT', original: gitlabType };
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
  return { type: '', original: gitlabType };
}

/** A merge request's state → DevLake's status, as DevLake's GitLab converter maps it (`locked` is closed). */
export function mergeRequestStatus(state: unknown): string {
  switch (String(state ?? '')) {
    case 'opened':
      return 'OPEN';
    case 'merged':
      return 'MERGED';
    default:
      return 'CLOSED';
  }
}

/** Pipeline and job statuses (docs.gitlab.com/ee/api/pipelines) → DevLake's result. */
export function cicdResult(status: unknown): string {
  switch (String(status ?? '')) {
    case 'success':
      return 'SUCCESS';
    case 'failed':
    case 'canceled':
      return 'FAILURE';
    default:
      return '';
  }
}

const FINISHED = new Set(['success', 'failed', 'canceled', 'skipped']);
const GOING = new Set(['created', 'waiting_for_resource', 'preparing', 'pending', 'running', 'scheduled', 'manual']);

/** Whether a pipeline or job status is final. */
export function isFinished(status: unknown): boolean {
  return FINISHED.has(String(status ?? ''));
}

/** Pipeline and job statuses → DevLake's status. */
export function cicdStatus(status: unknown): string {
  const value = String(status ?? '');
  if (FINISHED.has(value)) return 'DONE';
  if (GOING.has(value)) return 'IN_PROGRESS';
  return 'OTHER';
}

/** Deployment statuses (created, running, success, failed, canceled, blocked) → DevLake's result and status. */
export function deploymentOutcome(status: unknown): { result: string; status: string } {
  switch (String(status ?? '')) {
    case 'success':
      return { result: 'SUCCESS', status: 'DONE' };
    case 'failed':
    case 'canceled':
      return { result: 'FAILURE', status: 'DONE' };
    case 'created':
    case 'running':
    case 'blocked':
      return { result: '', status: 'IN_PROGRESS' };
    default:
      return { result: '', status: 'OTHER' };
  }
}

/**
 * A deployment's environment: PRODUCTION when GitLab's tier says so or the name matches the
 * scope config's `envNamePattern`; STAGING and TESTING by tier; else the name upper-cased.
 */
export function environmentOf(name: string, tier: string, envNamePattern: string): string {
  if (tier === 'production' || (name !== '' && new RegExp(envNamePattern, 'i').test(name))) return 'PRODUCTION';
  if (tier === 'staging') return 'STAGING';
  if (tier === 'testing') return 'TESTING';
  return name.toUpperCase();
}
