import type { RuntimeRelease } from '../project/runtime-release.js';

/**
 * What a Lake package is: a connector (`@lake/connector-<name>`, listed under `connectors`
 * in lake.yaml and lake.lock) or a metric (`@lake/metrics-<name>`, under `metrics`). Both are
 * requested, resolved, checked, locked and installed by the same code; only these names differ.
 */
export type PackageKind = 'connector' | 'metric';

/** The kinds, in the order an install plans them. */
export const PACKAGE_KINDS: readonly PackageKind[] = ['connector', 'metric'];

/** A package of lake.yaml: its kind and short name (`git`, `dora`). */
export interface PackageRef {
  kind: PackageKind;
  name: string;
}

const KINDS = {
  connector: {
    section: 'connectors',
    packagePrefix: 'connector-',
    binPrefix: 'lake-connector-',
    lakeField: 'connector',
  },
  metric: { section: 'metrics', packagePrefix: 'metrics-', binPrefix: 'lake-metrics-', lakeField: 'metric' },
} as const satisfies Record<
  PackageKind,
  { section: string; packagePrefix: string; binPrefix: string; lakeField: string }
>;

export const LAKE_SCOPE = '@lake';

/** The lake.yaml and lake.lock section listing packages of this kind. */
export function sectionOf(kind: PackageKind): 'connectors' | 'metrics' {
  return KINDS[kind].section;
}

/** The field of a package.json's `lake` block naming the package: `connector` or `metric`. */
export function lakeFieldOf(kind: PackageKind): 'connector' | 'metric' {
  return KINDS[kind].lakeField;
}

/** `git` → `@lake/connector-git`; `dora` (metric) → `@lake/metrics-dora`. */
export function packageNameOf(ref: PackageRef): string {
  return `${LAKE_SCOPE}/${KINDS[ref.kind].packagePrefix}${ref.name.replaceAll('_', '-')}`;
}

/** The package's CLI bin: `lake-connector-git`, `lake-metrics-dora`. */
export function binNameOf(ref: PackageRef): string {
  return `${KINDS[ref.kind].binPrefix}${ref.name.replaceAll('_', '-')}`;
}

/** How messages name the package: `git` for a connector, `metric dora` for a metric. */
export function packageLabel(ref: PackageRef): string {
  return ref.kind === 'connector' ? ref.name : `metric ${ref.name}`;
}

/**
 * The package's key in file names (install and staging directories): the connector's name,
 * `metric.<name>` for a metric. Names hold no `.`, so the two never collide.
 */
export function packageKey(ref: PackageRef): string {
  return ref.kind === 'connector' ? ref.name : `metric.${ref.name}`;
}

/** The version this runtime release ships of the package, if it ships one. */
export function shippedVersion(release: RuntimeRelease, ref: PackageRef): string | undefined {
  return ref.kind === 'connector' ? release.shipped[ref.name] : release.shippedMetrics?.[ref.name];
}

/** Every package a section-shaped record lists (lake.yaml's requests, lake.lock's entries, the install set), connectors first. */
export function packageRefs(sections: {
  connectors?: Readonly<Record<string, unknown>>;
  metrics?: Readonly<Record<string, unknown>>;
}): PackageRef[] {
  return PACKAGE_KINDS.flatMap((kind) =>
    Object.keys(sections[sectionOf(kind)] ?? {})
      .sort()
      .map((name) => ({ kind, name })),
  );
}

/** The entry of `ref` in a section-shaped record. */
export function entryOf<T>(
  sections: { connectors?: Readonly<Record<string, T>>; metrics?: Readonly<Record<string, T>> } | undefined,
  ref: PackageRef,
): T | undefined {
  return sections?.[sectionOf(ref.kind)]?.[ref.name];
}

/** Sets the entry of `ref`, creating its section when it is the first. */
export function setEntry<T>(
  sections: { connectors: Record<string, T>; metrics?: Record<string, T> },
  ref: PackageRef,
  entry: T,
): void {
  const section = sectionOf(ref.kind);
  sections[section] ??= {};
  sections[section][ref.name] = entry;
}
