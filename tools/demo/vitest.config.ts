import { lakeTestConfig } from '../../vitest.shared.ts';

// The whole chain: 15 s quiet, over three minutes on a loaded machine.
export default lakeTestConfig({ testTimeout: 900_000 });
