import { lakeTestConfig } from '../../vitest.shared.ts';

// Each test runs a small benchmark: seconds quiet, over a minute on a loaded machine.
export default lakeTestConfig({ testTimeout: 600_000 });
