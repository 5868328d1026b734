import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addUser,
  type PublishedPackage,
  type PublishOptions,
  packAndPublish,
  publishTarball,
  type RunningRegistry,
  startRegistry,
} from '@lake-tools/registry-server';
import { type FixturePackage, packPackage } from './fixture-packages.ts';

export interface TestRegistry extends RunningRegistry {
  token: string;
  /** Verdaccio's storage: `<storage>/@lake/<name>/<name>-<version>.tgz`. */
  storage: string;
  /** Publishes a fixture, signed by `options.signWith` when given. */
  publish(fixture: FixturePackage, options?: PublishOptions): Promise<PublishedPackage>;
  /** Packs a workspace package with pnpm (workspace: ranges become versions) and publishes it. */
  publishWorkspacePackage(directory: string, options?: PublishOptions): Promise<PublishedPackage>;
  stop(): Promise<void>;
}

/** A private registry on a free port with temporary storage and one user. */
export async function startTestRegistry(): Promise<TestRegistry> {
  const directory = await mkdtemp(join(tmpdir(), 'lake-runtime-registry-'));
  const registry = await startRegistry({ directory, port: 0 });
  const { token } = await addUser(registry.url, 'runtime-tests', 'runtime-tests-password');
  return {
    ...registry,
    token,
    storage: join(directory, 'storage'),
    publish: async (fixture, options) => publishTarball(registry.url, token, await packPackage(fixture), options),
    publishWorkspacePackage: (packageDirectory, options) =>
      packAndPublish(registry.url, token, packageDirectory, options),
    stop: async () => {
      await registry.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
