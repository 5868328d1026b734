import { lakeTestConfig } from '../../vitest.shared.ts';

// beforeAll copies the repository and installs it offline.
export default lakeTestConfig({ testTimeout: 300_000, hookTimeout: 600_000 });
