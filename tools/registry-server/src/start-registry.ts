import { mkdir, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runServer } from 'verdaccio';
import { type RegistryConfigOptions, verdaccioConfigYaml } from './verdaccio-config.ts';

export interface RunningRegistry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface StartRegistryOptions extends RegistryConfigOptions {
  /** Default 4873; 0 picks a free port. */
  port?: number;
  host?: string;
}

/**
 * Runs verdaccio in this process with Lake's configuration (storage, users and log under
 * `directory`) and resolves once it answers. Verdaccio's logger is process-wide: with several
 * registries in one process, only the first one's log file is written (the CLI runs one).
 */
export async function startRegistry(options: StartRegistryOptions): Promise<RunningRegistry> {
  await mkdir(options.directory, { recursive: true });
  const configPath = join(options.directory, 'config.yaml');
  await writeFile(configPath, verdaccioConfigYaml(options));
  const server = (await runServer(configPath)) as Server;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4873, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}/`;
  const ping = await fetch(`${url}-/ping`);
  if (!ping.ok) throw new Error(`[lake] registry at ${url} did not answer its ping (${ping.status})`);
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
