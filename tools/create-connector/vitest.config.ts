import { lakeTestConfig } from '../../vitest.shared.ts';

// A scaffolded connector's own test suite (the conformance suite on every dialect), build and
// publish run inside one test: seven minutes on a loaded machine. beforeAll copies the
// repository and installs it offline.
export default lakeTestConfig({ testTimeout: 1_800_000, hookTimeout: 900_000 });
