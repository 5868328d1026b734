import { describe, expect, it } from 'vitest';
import {
  asDate,
  cicdResult,
  cicdStatus,
  deploymentOutcome,
  environmentOf,
  isFinished,
  issueType,
  labelValue,
  mergeRequestStatus,
  minutesBetween,
  secondsBetween,
} from '../src/mappings.js';

const patterns = { issueTypeRequirement: 'feature', issueTypeBug: 'bug', issueTypeIncident: 'incident' };

describe("DevLake's mappings of GitLab's values", () => {
  it('maps merge request states, merged and locked included', () => {
    expect(['opened', 'merged', 'closed', 'locked'].map(mergeRequestStatus)).toEqual([
      'OPEN',
      'MERGED',
      'CLOSED',
      'CLOSED',
    ]);
  });

  it('maps pipeline, job and deployment statuses', () => {
    expect(['success', 'failed', 'canceled', 'skipped', undefined].map(cicdResult)).toEqual([
      'SUCCESS',
      'FAILURE',
      'FAILURE',
      '',
      '',
    ]);
    expect(['success', 'running', 'manual', 'whatever', null].map(cicdStatus)).toEqual([
      'DONE',
      'IN_PROGRESS',
      'IN_PROGRESS',
      'OTHER',
      'OTHER',
    ]);
    expect([isFinished('canceled'), isFinished('pending')]).toEqual([true, false]);
    expect(['success', 'failed', 'canceled', 'running', 'blocked', 'created', 'odd'].map(deploymentOutcome)).toEqual([
      { result: 'SUCCESS', status: 'DONE' },
      { result: 'FAILURE', status: 'DONE' },
      { result: 'FAILURE', status: 'DONE' },
      { result: '', status: 'IN_PROGRESS' },
      { result: '', status: 'IN_PROGRESS' },
      { result: '', status: 'IN_PROGRESS' },
      { result: '', status: 'OTHER' },
    ]);
  });

  it('says PRODUCTION by tier or by the environment pattern, STAGING and TESTING by tier', () => {
    expect(environmentOf('live', 'production', 'prod')).toBe('PRODUCTION');
    expect(environmentOf('prod-eu', 'other', 'prod')).toBe('PRODUCTION');
    expect(environmentOf('pre', 'staging', 'prod')).toBe('STAGING');
    expect(environmentOf('qa', 'testing', 'prod')).toBe('TESTING');
    expect(environmentOf('review/x', 'development', 'prod')).toBe('REVIEW/X');
    expect(environmentOf('', '', 'prod')).toBe('');
  });

  it('types issues from labels, and GitLab incidents as INCIDENT', () => {
    expect(issueType(['bug'], 'issue', patterns)).toEqual({ type: 'BUG', original: 'bug' });
    expect(issueType(['feature'], 'issue', patterns)).toEqual({ type: 'REQUIREMENT', original: 'feature' });
    expect(issueType(['incident::sev1'], 'issue', patterns)).toEqual({ type: 'INCIDENT', original: 'incident::sev1' });
    expect(issueType([], 'incident', patterns)).toEqual({ type: 'INCIDENT', original: 'incident' });
    expect(issueType(['docs'], 'issue', patterns)).toEqual({ type: '', original: 'issue' });
  });

  it('reads label values, dates and durations', () => {
    expect(labelValue(['priority::high'], 'priority(.*)')).toBe('high');
    expect(labelValue(['p1'], '(p1|p2)')).toBe('p1');
    expect(labelValue(['urgent'], 'priority(.*)')).toBe('');
    expect(asDate('')).toBeNull();
    expect(asDate('not a date')).toBeNull();
    expect(asDate(new Date(0))?.getTime()).toBe(0);
    expect(secondsBetween('2026-01-01T00:00:00Z', '2026-01-01T00:01:30Z')).toBe(90);
    expect(secondsBetween('2026-01-01T00:01:00Z', '2026-01-01T00:00:00Z')).toBeNull();
    expect(secondsBetween(null, '2026-01-01T00:00:00Z')).toBeNull();
    expect(minutesBetween('2026-01-01T00:00:00Z', '2026-01-01T02:00:59Z')).toBe(120);
    expect(minutesBetween(undefined, undefined)).toBeNull();
  });
});
