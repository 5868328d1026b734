import { join, resolve } from 'node:path';

/**
 * Where a runtime project keeps things. The project is the directory holding `lake.yaml`;
 * everything the runtime writes lives under its `.lake/`.
 */
export interface ProjectPaths {
  root: string;
  manifest: string;
  lock: string;
  lakeDirectory: string;
  /** One directory per installed connector, plus `installed.json`, the working set. */
  connectors: string;
  installSet: string;
  /** The content-addressed store the connector directories hard-link their files from. */
  store: string;
  /** Serialises installs: one `lake install` at a time per project. */
  installLock: string;
  /** Tarballs packed from custom connectors' directories (or copied from their tarball paths). */
  custom: string;
  logs: string;
  secrets: string;
  secretKey: string;
}

export const MANIFEST_FILE = 'lake.yaml';
export const LOCK_FILE = 'lake.lock';

export function projectPaths(root: string): ProjectPaths {
  const absolute = resolve(root);
  const lakeDirectory = join(absolute, '.lake');
  const connectors = join(lakeDirectory, 'connectors');
  return {
    root: absolute,
    manifest: join(absolute, MANIFEST_FILE),
    lock: join(absolute, LOCK_FILE),
    lakeDirectory,
    connectors,
    installSet: join(connectors, 'installed.json'),
    store: join(lakeDirectory, 'store'),
    installLock: join(lakeDirectory, 'install.lock'),
    custom: join(lakeDirectory, 'custom'),
    logs: join(lakeDirectory, 'logs'),
    secrets: join(lakeDirectory, 'secrets.json'),
    secretKey: join(lakeDirectory, 'secret.key'),
  };
}
