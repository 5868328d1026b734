import { type DomainRecord, type DomainRow, domainRecord } from './domain-schema.js';

/** A commit as the tool tables of git hosts hold it (snake-case columns, as a tool row has them). */
export interface CommitFields {
  sha: string;
  message: DomainRow<'commits'>['message'];
  author_name: DomainRow<'commits'>['author_name'];
  author_email: DomainRow<'commits'>['author_email'];
  authored_date: DomainRow<'commits'>['authored_date'];
  committer_name: DomainRow<'commits'>['committer_name'];
  committer_email: DomainRow<'commits'>['committer_email'];
  committed_date: DomainRow<'commits'>['committed_date'];
  /** Line counts, where the source has them (git does; hosts' list APIs do not). */
  additions?: DomainRow<'commits'>['additions'];
  deletions?: DomainRow<'commits'>['deletions'];
}

/**
 * The domain `commits` row of a commit, as DevLake's git, GitHub and GitLab plugins write it:
 * `author_id` and `committer_id` are the e-mail addresses, not `accounts.id`, so commits of
 * one person join across the connectors that saw them.
 *
 *   yield commitRecord({ ...row, sha: String(row.sha), committed_date: row.committed_at });
 */
export function commitRecord(commit: CommitFields): DomainRecord {
  return domainRecord('commits', {
    sha: commit.sha,
    ...(commit.additions === undefined ? {} : { additions: commit.additions }),
    ...(commit.deletions === undefined ? {} : { deletions: commit.deletions }),
    message: commit.message,
    author_name: commit.author_name,
    author_email: commit.author_email,
    authored_date: commit.authored_date,
    author_id: commit.author_email,
    committer_name: commit.committer_name,
    committer_email: commit.committer_email,
    committed_date: commit.committed_date,
    committer_id: commit.committer_email,
  });
}
