import { describe, expect, it } from 'vitest';
import { isLakeError, type LakeError } from '../errors/lake-error.js';
import { createDomainIds, domainId } from './domain-ids.js';

function thrownBy(make: () => unknown): LakeError {
  try {
    make();
  } catch (error) {
    if (isLakeError(error)) return error;
    throw error;
  }
  throw new Error('expected a LakeError, nothing was thrown');
}

// A Jira connector read a field its API left out: 20 issues became `jira:JiraIssue:1:undefined`.
const missingKeys: Array<[string, unknown, string]> = [
  ['undefined', undefined, 'undefined'],
  ['null', null, 'null'],
  ['an empty string', '', "''"],
  ['NaN', Number.NaN, 'NaN'],
];

describe('context.ids.of', () => {
  const ids = createDomainIds('jira', 1);

  it.each(missingKeys)('refuses %s as a key, naming the entity and the part', (_label, key, shown) => {
    const error = thrownBy(() => ids.of('JiraIssue', key as string));
    expect(error.code).toBe('DOMAIN_ID_INVALID');
    expect(error.message).toContain('[lake] [jira] JiraIssue id part 1 is ' + shown);
    expect(error.details).toMatchObject({ toolStruct: 'JiraIssue', keyIndex: 0 });
  });

  it('refuses a missing second key as well, once the first has made the prefix', () => {
    expect(ids.of('JiraWorklog', 7, 8)).toBe('jira:JiraWorklog:1:7:8');
    const error = thrownBy(() => ids.of('JiraWorklog', 7, undefined as unknown as number));
    expect(error.message).toContain('JiraWorklog id part 2 is undefined');
    expect(error.details).toMatchObject({ keyIndex: 1 });
  });

  it('refuses an id with no key at all', () => {
    expect(thrownBy(() => ids.of('JiraBoard')).message).toContain('JiraBoard id has no key parts');
  });

  it('refuses a key of another type rather than printing it', () => {
    const error = thrownBy(() => ids.of('JiraIssue', { id: 5 } as unknown as string));
    expect(error.message).toContain('part 1 is of type object');
  });

  it('gives the prefix it puts before the keys, to fit a key into the id column', () => {
    expect(ids.prefix('JiraIssue')).toBe('jira:JiraIssue:1:');
    expect(ids.of('JiraIssue', 'PROJ-1')).toBe(`${ids.prefix('JiraIssue')}PROJ-1`);
  });

  it('keeps zero, negative numbers, bigints and strings with spaces', () => {
    expect(ids.of('JiraIssue', 0)).toBe('jira:JiraIssue:1:0');
    expect(ids.of('JiraIssue', -3, 10n, ' ')).toBe('jira:JiraIssue:1:-3:10: ');
  });
});

describe('domainId', () => {
  it('refuses the same missing keys', () => {
    for (const [, key] of missingKeys) {
      expect(thrownBy(() => domainId('github', 'GithubIssue', 1, key as number)).code).toBe('DOMAIN_ID_INVALID');
    }
    expect(domainId('github', 'GithubIssue', 1, 0)).toBe('github:GithubIssue:1:0');
  });
});
