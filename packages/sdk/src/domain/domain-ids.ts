import { createHash } from 'node:crypto';
import { LakeError } from '../errors/lake-error.js';

/**
 * Domain ids in DevLake's convention: `<connector>:<ToolStruct>:<key1>[:<key2>…]`, where the
 * first key of a connector's entity is the connection id. The struct name is singular and
 * PascalCase (`GithubIssue`, never `GithubIssues`).
 *
 *   domainId('github', 'GithubIssue', 1, 346842831) === 'github:GithubIssue:1:346842831'
 */
export function domainId(connector: string, toolStruct: string, ...keys: Array<string | number | bigint>): string {
  checkKeys(connector, toolStruct, keys);
  return [connector, toolStruct, ...keys.map(String)].join(':');
}

/**
 * A key that is null, undefined, '' or NaN would turn every record missing it into one id
 * (`jira:JiraIssue:1:undefined`), and the rows would silently overwrite each other. Such a key is
 * a bug in the connector's convert (a misspelt field, a field the API leaves out), so it is
 * refused, naming the entity and which key it was. The check is one comparison per key on the
 * happy path: ids are made for several rows of every record.
 */
function checkKeys(connector: string, toolStruct: string, keys: ReadonlyArray<unknown>): void {
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index];
    if (typeof key === 'string' ? key !== '' : typeof key === 'number' ? !Number.isNaN(key) : typeof key === 'bigint')
      continue;
    throw new LakeError(
      'DOMAIN_ID_INVALID',
      `${toolStruct} id part ${index + 1} is ${describeKey(key)}; every part of a domain id must be a non-empty string, a number or a bigint, or records would collapse onto one id`,
      { source: connector, details: { toolStruct, keyIndex: index, key: describeKey(key) } },
    );
  }
  if (keys.length === 0)
    throw new LakeError('DOMAIN_ID_INVALID', `${toolStruct} id has no key parts`, {
      source: connector,
      details: { toolStruct },
    });
}

function describeKey(key: unknown): string {
  if (key === '') return "''";
  if (typeof key === 'number' || key === null || key === undefined) return String(key);
  return `of type ${typeof key}`;
}

/** Ids bound to one connector and connection: `ids.of('GithubIssue', issueId)`. */
export interface DomainIds {
  readonly connector: string;
  readonly connectionId: number;
  /** `<connector>:<struct>:<connectionId>:<keys…>` */
  of(toolStruct: string, ...keys: Array<string | number | bigint>): string;
  /** `<connector>:<struct>:<connectionId>:`, what `of` puts before the keys: to fit a key into the id column's length. */
  prefix(toolStruct: string): string;
}

export function createDomainIds(connector: string, connectionId: number): DomainIds {
  const prefixes = new Map<string, string>();
  const prefix = (toolStruct: string): string => {
    let known = prefixes.get(toolStruct);
    if (known === undefined) {
      known = `${connector}:${toolStruct}:${connectionId}:`;
      prefixes.set(toolStruct, known);
    }
    return known;
  };
  return {
    connector,
    connectionId,
    // Called for several rows of every record: keep it to one check per key, one lookup and one concatenation.
    of(toolStruct, ...keys) {
      checkKeys(connector, toolStruct, keys);
      return keys.length === 1 ? prefix(toolStruct) + String(keys[0]) : prefix(toolStruct) + keys.join(':');
    },
    prefix,
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
