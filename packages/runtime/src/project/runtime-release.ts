import { readFile } from 'node:fs/promises';
import { CONTRACT_VERSION } from '@lake/sdk/host';

/**
 * What this runtime release is: its version, the connector contract it implements (the
 * SDK's), and the connector and metric versions it ships with (`shipped-connectors.json`, the analogue
 * of the Datadog Agent's `requirements-agent-release.txt`).
 */
export interface RuntimeRelease {
  version: string;
  contract: string;
  shipped: Readonly<Record<string, string>>;
  /** The metric versions it ships with (`metrics` in `shipped-connectors.json`). */
  shippedMetrics?: Readonly<Record<string, string>>;
}

/** The package root: the nearest directory above this module holding @lake/runtime's package.json (src/ in tests, dist/ when published). */
async function packageRoot(): Promise<URL> {
  for (let directory = new URL('./', import.meta.url); ; directory = new URL('../', directory)) {
    const candidate = new URL('package.json', directory);
    const text = await readFile(candidate, 'utf8').catch(() => undefined);
    if (text && (JSON.parse(text) as { name?: string }).name === '@lake/runtime') return directory;
    if (directory.pathname === '/') throw new Error('[lake] cannot find the @lake/runtime package.json');
  }
}

let cached: Promise<RuntimeRelease> | undefined;

export function currentRelease(): Promise<RuntimeRelease> {
  cached ??= (async () => {
    const root = await packageRoot();
    const manifest = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as { version: string };
    const shipped = JSON.parse(await readFile(new URL('shipped-connectors.json', root), 'utf8')) as {
      connectors: Record<string, string>;
      metrics?: Record<string, string>;
    };
    return {
      version: manifest.version,
      contract: CONTRACT_VERSION,
      shipped: shipped.connectors,
      shippedMetrics: shipped.metrics ?? {},
    };
  })();
  return cached;
}
