import { createHash } from 'node:crypto';

/**
 * Domain ids in DevLake's convention: `<connector>:<ToolStruct>:<key1>[:<key2>…]`, where the
 * first key of a connector's entity is the connection id. The struct name is singular and
 * PascalCase (`GithubIssue`, never `GithubIssues`).
 *
 *   domainId('github', 'GithubIssue', 1, 346842831) === 'github:GithubIssue:1:346842831'
 */
export function domainId(connector: string, toolStruct: string, ...keys: Array<string | number | bigint>): string {
  return [connector, toolStruct, ...keys.map(String)].join(':');
}

/** Ids bound to one connector and connection: `ids.of('GithubIssue', issueId)`. */
export interface DomainIds {
  readonly connector: string;
  readonly connectionId: number;
  /** `<connector>:<struct>:<connectionId>:<keys…>` */
  of(toolStruct: string, ...keys: Array<string | number | bigint>): string;
}

export function createDomainIds(connector: string, connectionId: number): DomainIds {
  const prefixes = new Map<string, string>();
  return {
    connector,
    connectionId,
    // Called for several rows of every record: keep it to one lookup and one concatenation.
    of(toolStruct, ...keys) {
      let prefix = prefixes.get(toolStruct);
      if (prefix === undefined) {
        prefix = `${connector}:${toolStruct}:${connectionId}:`;
        prefixes.set(toolStruct, prefix);
      }
      return keys.length === 1 ? prefix + String(keys[0]) : prefix + keys.join(':');
    },
  };
}

/** `commit_files.id`: `<commit_sha>:<lowercase hex sha256 of the file path>`. */
export function commitFileId(commitSha: string, filePath: string): string {
  return `${commitSha}:${createHash('sha256').update(filePath).digest('hex')}`;
}

/** `refs.id`: `<repos.id>:<ref name>` (tags keep `refs/tags/…`, branches use the short name). */
export function refId(repoId: string, refName: string): string {
  return `${repoId}:${refName}`;
}
