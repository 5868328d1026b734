import { formatTable } from '@lake/sdk/host';
import { loadCatalog, searchCatalog } from '../../catalog/integration-registry.js';
import { readInstallSet } from '../../install/install-set.js';
import { npmContext } from '../../install/npm-options.js';
import { loadManifest } from '../../manifest/load-manifest.js';
import { type CommandHandler, print, printJson } from '../command-context.js';

/** `lake search <words>`: connectors in the published integration registry, installed or not. */
export const searchCommand: CommandHandler = async (context) => {
  const manifest = await loadManifest(context.paths);
  const catalog = await loadCatalog(context.paths, await npmContext(context.paths, manifest, context.environment));
  const found = searchCatalog(catalog, context.positionals);
  const installed = (await readInstallSet(context.paths)).connectors;
  if (context.json) {
    printJson(context, {
      registry: catalog.version,
      connectors: found.map((connector) => ({ ...connector, installed: installed[connector.name]?.version ?? null })),
    });
    return 0;
  }
  if (found.length === 0) {
    print(context, `no connector matches "${context.positionals.join(' ')}" (@lake/registry ${catalog.version})`);
    return 1;
  }
  print(
    context,
    formatTable(
      ['connector', 'latest', 'support', 'installed', 'domain types', 'description'],
      found.map((connector) => [
        connector.name,
        connector.version,
        connector.support,
        installed[connector.name]?.version ?? '-',
        connector.domainTypes.join(', '),
        connector.description,
      ]),
    ),
  );
  return 0;
};
