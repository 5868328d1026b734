export { packageManagerEnvironment } from './child-environment.ts';
export {
  generateSigningKey,
  type PackageSignature,
  type SigningKey,
  signingKey,
  signingKeyFromEnvironment,
} from './package-signing.ts';
export { type PublishedPackage, type PublishOptions, packAndPublish, publishTarball } from './publish-tarball.ts';
export { credentialsKey, DEFAULT_PORT, DEFAULT_REGISTRY_URL, registryUrl } from './registry-url.ts';
export { addUser, npmrcFor, type RegistryCredentials, RegistryError } from './registry-users.ts';
export { type RunningRegistry, type StartRegistryOptions, startRegistry } from './start-registry.ts';
export { type RegistryConfigOptions, verdaccioConfig, verdaccioConfigYaml } from './verdaccio-config.ts';
