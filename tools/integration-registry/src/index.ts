export type { IntegrationRegistry, RegistryConnector as ConnectorEntry } from '@lake/registry';
export { buildRegistry, RegistryInputError, secretFields } from './build-registry.ts';
export { checkRegistry, updateRegistry } from './registry-files.ts';
export { renderRegistry, validateRegistry } from './render-registry.ts';
