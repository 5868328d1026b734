import { createDomainIds, type DomainRecord } from '@lake/sdk';
import { describe, expect, it } from 'vitest';
import { numberFromUrl } from '../src/lookups.js';
import {
  asDate,
  cicdResult,
  cicdStatus,
  deploymentOutcome,
  environmentOf,
  issueType,
  labelValue,
  minutesBetween,
  secondsBetween,
} from '../src/mappings.js';
import { scopeConfigSchema } from '../src/settings.js';
import { deploymentsTable } from '../src/tables/cicd-tables.js';

describe('DevLake mappings', () => {
  it('reads values out of labels with the scope config’s patterns', () => {
    expect(labelValue(['bug', 'severity/high'], 'severity(.*)')).toBe('high');
    expect(labelValue(['severity: critical'], 'severity(.*)')).toBe('critical');
    expect(labelValue(['P1'], '(p0|p1|p2)')).toBe('P1');
    expect(labelValue(['severity'], 'severity(.*)')).toBe('severity');
    expect(labelValue(['docs'], 'severity(.*)')).toBe('');
    const patterns = {
      issueTypeRequirement: '(feat|feature)',
      issueTypeBug: '(bug|broken)',
      issueTypeIncident: '(incident)',
    };
    expect(issueType(['Bug'], patterns)).toEqual({ type: 'BUG', original: 'Bug' });
    expect(issueType(['incident', 'feature'], patterns)).toEqual({ type: 'REQUIREMENT', original: 'feature' });
    expect(issueType(['question'], patterns)).toEqual({ type: '', original: '' });
  });

  it('maps run and deployment outcomes as DevLake does', () => {
    expect(['success', 'failure', 'cancelled', 'timed_out', 'skipped', null].map(cicdResult)).toEqual([
      'SUCCESS',
      'FAILURE',
      'FAILURE',
      'FAILURE',
      '',
      '',
    ]);
    expect(['completed', 'in_progress', 'queued', 'waiting', 'weird'].map(cicdStatus)).toEqual([
      'DONE',
      'IN_PROGRESS',
      'IN_PROGRESS',
      'IN_PROGRESS',
      'OTHER',
    ]);
    expect(deploymentOutcome('success')).toEqual({ result: 'SUCCESS', status: 'DONE' });
    expect(deploymentOutcome('error')).toEqual({ result: 'FAILURE', status: 'DONE' });
    expect(deploymentOutcome('inactive')).toEqual({ result: '', status: 'DONE' });
    expect(deploymentOutcome('pending')).toEqual({ result: '', status: 'IN_PROGRESS' });
    expect(deploymentOutcome('mystery')).toEqual({ result: '', status: 'OTHER' });
    expect(['production', 'Staging', 'qa', 'preview', ''].map((name) => environmentOf(name, 'prod(.*)'))).toEqual([
      'PRODUCTION',
      'STAGING',
      'TESTING',
      'PREVIEW',
      '',
    ]);
  });

  it('computes durations in whole units, and refuses what it cannot', () => {
    expect(minutesBetween('2024-01-01T00:00:00Z', new Date('2024-01-01T01:30:59Z'))).toBe(90);
    expect(minutesBetween(null, '2024-01-01T00:00:00Z')).toBeNull();
    expect(secondsBetween('2024-01-01T00:00:00Z', '2024-01-01T00:00:09.900Z')).toBe(9);
    expect(secondsBetween('2024-01-01T00:00:10Z', '2024-01-01T00:00:00Z')).toBeNull();
    expect(asDate('not a date')).toBeNull();
    expect(numberFromUrl('https://api.github.com/repos/o/r/issues/42')).toBe(42);
    expect(numberFromUrl('https://api.github.com/repos/o/r/pulls/7')).toBe(7);
    expect(numberFromUrl(undefined)).toBeUndefined();
  });

  it('gives every deployment its own id, from the numeric id every answer carries (node_id may be missing)', () => {
    const context = { ids: createDomainIds('github', 1), scopeConfig: scopeConfigSchema.parse({}) } as never;
    const row = (githubId: number, nodeId: string | null) => ({
      repo_id: 600,
      github_id: githubId,
      node_id: nodeId,
      sha: 'a'.repeat(40),
      ref: 'main',
      task: 'deploy',
      environment: 'production',
      description: null,
      repo_html_url: 'https://github.example.com/o/r',
      deployment_created_at: new Date('2024-01-01T00:00:00Z'),
      latest_state: 'success',
      latest_status_url: null,
      latest_status_at: new Date('2024-01-01T00:05:00Z'),
    });
    const ids = [row(11, null), row(22, null), row(33, 'DE_kwDOAbc')].flatMap((deployment) =>
      [...(deploymentsTable.convert!(deployment as never, context) as Iterable<DomainRecord>)]
        .filter((record) => record.table === 'cicd_deployments')
        .map((record) => record.row.id),
    );
    expect(ids).toEqual([
      'github:GithubDeployment:1:11',
      'github:GithubDeployment:1:22',
      'github:GithubDeployment:1:33',
    ]);
  });
});
