import { describe, expect, it } from 'vitest';
import { commitRecord } from './commit-record.js';

const commit = {
  sha: 'a'.repeat(40),
  message: 'Fix the parser',
  author_name: 'Ada',
  author_email: 'ada@example.com',
  authored_date: new Date('2026-01-02T03:04:05Z'),
  committer_name: 'Grace',
  committer_email: 'grace@example.com',
  committed_date: new Date('2026-01-02T04:00:00Z'),
};

describe('commitRecord', () => {
  it("writes DevLake's commits row: author and committer ids are their e-mail addresses", () => {
    expect(commitRecord(commit)).toEqual({
      table: 'commits',
      row: { ...commit, author_id: 'ada@example.com', committer_id: 'grace@example.com' },
    });
  });

  it('carries line counts only when the source has them', () => {
    expect(commitRecord(commit).row).not.toHaveProperty('additions');
    expect(commitRecord({ ...commit, additions: 7, deletions: 2 }).row).toMatchObject({ additions: 7, deletions: 2 });
  });
});
