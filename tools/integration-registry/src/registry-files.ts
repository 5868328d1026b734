import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RegistryConnector as ConnectorEntry, IntegrationRegistry } from '@lake/registry';
import { foldPassedRun } from '@lake/testkit/tested-versions';
import { parse } from 'yaml';
import { buildRegistry } from './build-registry.ts';
import { renderRegistry } from './render-registry.ts';

/**
 * `registry:update`: folds each connector's last passing test run into its
 * `tested-versions.json` (tests themselves never touch tracked files), regenerates registry/,
 * and returns the files it changed.
 */
export async function updateRegistry(root: string): Promise<string[]> {
  const changed: string[] = [];
  const connectors = await readdir(join(root, 'connectors'), { withFileTypes: true }).catch(() => []);
  for (const entry of connectors) {
    if (entry.isDirectory() && foldPassedRun(join(root, 'connectors', entry.name))) {
      changed.push(`connectors/${entry.name}/tested-versions.json`);
    }
  }
  const files = await renderRegistry(root, await buildRegistry(root));
  for (const [path, text] of Object.entries(files)) {
    const current = await readFile(join(root, path), 'utf8').catch(() => undefined);
    if (current !== text) {
      await writeFile(join(root, path), text);
      changed.push(path);
    }
  }
  return changed;
}

/**
 * `registry:check`: what regeneration would change, in words ("connector github: version
 * 0.1.0 → 0.1.1"); an empty list when registry/ is current.
 */
export async function checkRegistry(root: string): Promise<string[]> {
  const files = await renderRegistry(root, await buildRegistry(root));
  const differences: string[] = [];
  const committedText = await readFile(join(root, 'registry/registry.yaml'), 'utf8').catch(() => undefined);
  if (committedText === undefined) differences.push('registry/registry.yaml is missing');
  else if (committedText !== files['registry/registry.yaml']) {
    const committed = (parse(committedText) ?? { connectors: [] }) as IntegrationRegistry;
    const generated = parse(files['registry/registry.yaml']!) as IntegrationRegistry;
    differences.push(...describeDifferences(committed, generated), ...describeMetricDifferences(committed, generated));
    if (differences.length === 0)
      differences.push('registry/registry.yaml differs in layout from what registry:update writes');
  }
  const readme = await readFile(join(root, 'registry/README.md'), 'utf8').catch(() => undefined);
  if (readme !== files['registry/README.md']) differences.push('registry/README.md is out of date');
  return differences;
}

function describeMetricDifferences(committed: IntegrationRegistry, generated: IntegrationRegistry): string[] {
  const before = new Map((committed.metrics ?? []).map((entry) => [entry.name, entry]));
  const after = new Map((generated.metrics ?? []).map((entry) => [entry.name, entry]));
  const lines: string[] = [];
  for (const name of before.keys()) {
    if (!after.has(name)) lines.push(`metric ${name} is listed, but packages/metrics-${name} does not exist`);
  }
  for (const [name, entry] of after) {
    const old = before.get(name);
    if (!old) lines.push(`metric ${name} (packages/metrics-${name}) has no entry`);
    else if (old.version !== entry.version) lines.push(`metric ${name}: version ${old.version} → ${entry.version}`);
    else if (JSON.stringify(old) !== JSON.stringify(entry)) lines.push(`metric ${name}: changed`);
  }
  return lines;
}

function describeDifferences(committed: IntegrationRegistry, generated: IntegrationRegistry): string[] {
  const lines: string[] = [];
  const before = new Map((committed.connectors ?? []).map((entry) => [entry.name, entry]));
  const after = new Map(generated.connectors.map((entry) => [entry.name, entry]));
  for (const name of before.keys()) {
    if (!after.has(name)) lines.push(`connector ${name} is listed, but connectors/${name} does not exist`);
  }
  for (const [name, entry] of after) {
    const old = before.get(name);
    if (!old) {
      lines.push(`connector ${name} (connectors/${name}) has no entry`);
      continue;
    }
    for (const field of Object.keys(entry) as Array<keyof ConnectorEntry>) {
      const was = JSON.stringify(old[field]);
      const now = JSON.stringify(entry[field]);
      if (was === now) continue;
      lines.push(
        typeof entry[field] === 'string'
          ? `connector ${name}: ${field} ${String(old[field])} → ${String(entry[field])}`
          : `connector ${name}: ${field} changed`,
      );
    }
  }
  return lines;
}
