import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRuntimeError } from '../errors.js';
import { connectorCliPath, readInstallSet } from '../install/install-set.js';
import { readLockfile } from '../install/lockfile.js';
import { manifestLines } from '../manifest/load-manifest.js';
import type { Manifest } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { SecretStore } from '../secrets/secret-store.js';
import { checkInstalledFiles } from '../trust/files-check.js';
import { connectionSettingsIssues, type SettingsIssue } from './check-settings.js';
import { connectorSchemas } from './connector-schemas.js';

export interface ConnectionSettings {
  connection: string;
  connector: string;
  /** Settings that do not fit the connector's schema, each with its line in lake.yaml. */
  issues: Array<SettingsIssue & { line?: number }>;
  /** Why the connection could not be checked (its connector is not installed, or its files changed). */
  problem?: string;
  /** References that do not resolve here (an environment variable not set, a secret not stored). */
  unresolved: string[];
}

export interface SettingsCheckOptions {
  environment: NodeJS.ProcessEnv;
  /** lake.yaml's text, when it is not the file on disk yet (`lake add`). */
  manifestText?: string;
  /** Check each connector's installed files before asking it for its schemas (`lake check`). */
  verifyFiles?: boolean;
}

/**
 * Every connection of lake.yaml against its installed connector's JSON Schemas: what
 * `lake check`, `lake doctor` and `lake install` report, so a wrong setting is found before a
 * sync rather than by it.
 */
export async function checkProjectSettings(
  paths: ProjectPaths,
  manifest: Manifest,
  options: SettingsCheckOptions,
): Promise<ConnectionSettings[]> {
  const [set, lock, text] = await Promise.all([
    readInstallSet(paths),
    readLockfile(paths),
    options.manifestText ?? readFile(paths.manifest, 'utf8'),
  ]);
  const lineOf = manifestLines(text);
  // The secret store, only when a connection refers to it; one that cannot be opened resolves nothing.
  const store = JSON.stringify(manifest.connections).includes('${secret:')
    ? await SecretStore.open(paths, options.environment).catch(() => undefined)
    : undefined;
  const verified = new Map<string, Promise<string | undefined>>();
  const results: ConnectionSettings[] = [];
  for (const [index, connection] of manifest.connections.entries()) {
    const result: ConnectionSettings = {
      connection: connection.name,
      connector: connection.connector,
      issues: [],
      unresolved: [],
    };
    results.push(result);
    const installed = set.connectors[connection.connector];
    if (!installed) {
      result.problem = `connector ${connection.connector} is not installed (run \`lake install\`)`;
      continue;
    }
    const directory = join(paths.connectors, installed.directory);
    if (options.verifyFiles) {
      if (!verified.has(directory)) {
        const digest = lock?.connectors[connection.connector]?.filesDigest;
        verified.set(
          directory,
          checkInstalledFiles(directory, digest).then((check) => (check.ok ? undefined : check.problem)),
        );
      }
      const problem = await verified.get(directory);
      if (problem) {
        result.problem = `not checked: ${connection.connector}'s ${problem}`;
        continue;
      }
    }
    try {
      const schemas = await connectorSchemas(
        paths,
        { directory, cli: connectorCliPath(paths, installed) },
        options.environment,
      );
      const missing = new Set<string>();
      const lookup = (reference: string) => {
        const value = reference.startsWith('secret:') ? store?.get(reference.slice(7)) : options.environment[reference];
        if (value === undefined) missing.add(reference);
        return value;
      };
      result.issues = connectionSettingsIssues(manifest, index, schemas, lookup).map((issue) => ({
        ...issue,
        ...(lineOf(issue.at) === undefined ? {} : { line: lineOf(issue.at) as number }),
      }));
      result.unresolved = [...missing].sort();
    } catch (error) {
      if (!isRuntimeError(error)) throw error;
      result.problem = error.message;
    }
  }
  return results;
}

export function settingsIssueCount(results: readonly ConnectionSettings[]): number {
  return results.reduce((sum, result) => sum + result.issues.length, 0);
}

/** `  line 12: connections[0].settings.tokens: required` */
export function describeSettingsIssues(results: readonly ConnectionSettings[]): string[] {
  return results.flatMap((result) =>
    result.issues.map((issue) => `${issue.line ? `line ${issue.line}: ` : ''}${issue.path}: ${issue.message}`),
  );
}
