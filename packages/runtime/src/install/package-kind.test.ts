import { describe, expect, it } from 'vitest';
import {
  binNameOf,
  entryOf,
  packageKey,
  packageLabel,
  packageNameOf,
  packageRefs,
  sectionOf,
  setEntry,
  shippedVersion,
} from './package-kind.js';

describe('package kinds', () => {
  it('name a connector and a metric package, bin, section, label and directory key', () => {
    const connector = { kind: 'connector', name: 'azure_devops' } as const;
    const metric = { kind: 'metric', name: 'dora' } as const;
    expect([
      packageNameOf(connector),
      binNameOf(connector),
      sectionOf('connector'),
      packageLabel(connector),
      packageKey(connector),
    ]).toEqual([
      '@lake/connector-azure-devops',
      'lake-connector-azure-devops',
      'connectors',
      'azure_devops',
      'azure_devops',
    ]);
    expect([
      packageNameOf(metric),
      binNameOf(metric),
      sectionOf('metric'),
      packageLabel(metric),
      packageKey(metric),
    ]).toEqual(['@lake/metrics-dora', 'lake-metrics-dora', 'metrics', 'metric dora', 'metric.dora']);
  });

  it('list, read and write the entries of both sections, connectors first, each sorted', () => {
    const sections: { connectors: Record<string, number>; metrics?: Record<string, number> } = {
      connectors: { github: 1, git: 2 },
    };
    expect(packageRefs(sections)).toEqual([
      { kind: 'connector', name: 'git' },
      { kind: 'connector', name: 'github' },
    ]);
    setEntry(sections, { kind: 'metric', name: 'dora' }, 3);
    expect(sections.metrics).toEqual({ dora: 3 });
    expect(packageRefs(sections).map((ref) => `${ref.kind}:${ref.name}`)).toEqual([
      'connector:git',
      'connector:github',
      'metric:dora',
    ]);
    expect(entryOf(sections, { kind: 'metric', name: 'dora' })).toBe(3);
    expect(entryOf(sections, { kind: 'metric', name: 'git' })).toBeUndefined();
    expect(entryOf(undefined, { kind: 'connector', name: 'git' })).toBeUndefined();
  });

  it("take the shipped version from the release's pins of the package's kind", () => {
    const release = {
      version: '1.0.0',
      contract: '1.0.0',
      shipped: { dora: '9.0.0' },
      shippedMetrics: { dora: '0.1.0' },
    };
    expect(shippedVersion(release, { kind: 'connector', name: 'dora' })).toBe('9.0.0');
    expect(shippedVersion(release, { kind: 'metric', name: 'dora' })).toBe('0.1.0');
    expect(shippedVersion({ ...release, shippedMetrics: undefined }, { kind: 'metric', name: 'dora' })).toBeUndefined();
  });
});
