import { readFile } from 'node:fs/promises';
import { CONTRACT_VERSION } from '@lake/sdk/host';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { currentRelease } from './runtime-release.js';

const workspace = new URL('../../../../', import.meta.url);

describe('this runtime release', () => {
  it("implements the SDK's contract and ships connector versions the workspace has reached", async () => {
    const release = await currentRelease();
    const manifest = JSON.parse(await readFile(new URL('packages/runtime/package.json', workspace), 'utf8'));
    expect(release.version).toBe(manifest.version);
    expect(release.contract).toBe(CONTRACT_VERSION);
    expect(Object.keys(release.shipped).length).toBeGreaterThan(0);
    for (const [name, version] of Object.entries(release.shipped)) {
      const connector = JSON.parse(await readFile(new URL(`connectors/${name}/package.json`, workspace), 'utf8'));
      expect(connector.name).toBe(`@lake/connector-${name}`);
      // A shipped pin names a released version: never one the connector has not reached yet.
      expect(semver.valid(version), name).toBe(version);
      expect(
        semver.lte(version, connector.version),
        `${name} ships ${version}, workspace has ${connector.version}`,
      ).toBe(true);
      expect(semver.satisfies(CONTRACT_VERSION, connector.lake.contract), name).toBe(true);
    }
  });

  it('ships a pin for each metric package, at a version the workspace has reached', async () => {
    const release = await currentRelease();
    expect(Object.keys(release.shippedMetrics ?? {})).toEqual(['dora']);
    for (const [name, version] of Object.entries(release.shippedMetrics ?? {})) {
      const metric = JSON.parse(await readFile(new URL(`packages/metrics-${name}/package.json`, workspace), 'utf8'));
      expect([metric.name, metric.lake.metric]).toEqual([`@lake/metrics-${name}`, name]);
      expect(semver.valid(version), name).toBe(version);
      expect(semver.lte(version, metric.version), `${name} ships ${version}, workspace has ${metric.version}`).toBe(
        true,
      );
      expect(semver.satisfies(CONTRACT_VERSION, metric.lake.contract), name).toBe(true);
    }
  });
});
