import { lakeTestConfig } from '../../vitest.shared.ts';

// A scaffolded connector's own test suite, build and publish run inside one test; beforeAll
// copies the repository and installs it offline.
export default lakeTestConfig({ testTimeout: 1_200_000, hookTimeout: 900_000 });
