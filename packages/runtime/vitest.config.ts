import { lakeTestConfig } from '../../vitest.shared.ts';

// cli.ts only parses argv and imports the command (its test spawns the built CLI, out of
// coverage's sight); index.ts only re-exports.
export default lakeTestConfig({
  coverageThreshold: 85,
  // Installing from a registry and syncing end to end: under a minute quiet, nearly four on a loaded machine.
  testTimeout: 900_000,
  // beforeAll starts a registry and publishes the SDK and the fixture connectors to it.
  hookTimeout: 600_000,
  coverageExclude: ['src/cli.ts', 'src/index.ts', 'src/types/**'],
});
