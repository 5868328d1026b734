import { lakeTestConfig } from '../../vitest.shared.ts';

// The whole chain: 15 s quiet, over three minutes on a loaded machine. The DORA end-to-end
// test publishes the workspace in its beforeAll.
export default lakeTestConfig({ testTimeout: 900_000, hookTimeout: 600_000 });
