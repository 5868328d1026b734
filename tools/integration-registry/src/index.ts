export { buildRegistry, RegistryInputError, secretFields } from './build-registry.ts';
export { checkRegistry, updateRegistry } from './registry-files.ts';
export type { ConnectorEntry, IntegrationRegistry } from './registry-types.ts';
export { renderRegistry, validateRegistry } from './render-registry.ts';
