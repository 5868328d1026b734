import type { FakeApi } from './fake-api.js';

/**
 * What a connector's fake module exports for `lake-fake-api serve <module>`: a function that
 * starts the fake on a port and says how to reach it.
 *
 *   // connectors/github/test/fake-github/serve.ts
 *   export const serveFake: ServeFake = async ({ port, size }) => {
 *     const github = await startFakeGithub(new GithubDataset({ sizes: … }), { port });
 *     return { api: github.api, context: { connection: { id: 1, endpoint: github.url, tokens: ['ghp_valid'] }, scope: { … } } };
 *   };
 */
export type ServeFake = (options: ServeFakeOptions) => Promise<ServedFake>;

export interface ServeFakeOptions {
  /** Port on 127.0.0.1 (0: any free port). */
  port: number;
  /** How much data: `small` (a few pages) or `large` (thousands of records). */
  size: 'small' | 'large';
}

export interface ServedFake {
  api: FakeApi;
  /** A context for the connector's CLI (`--context <file>`) that syncs from this fake. */
  context: Record<string, unknown>;
  close?(): Promise<void>;
}
