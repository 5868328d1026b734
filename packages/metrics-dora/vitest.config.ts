import { lakeTestConfig } from '../../vitest.shared.ts';

// The suites build histories by hand and run every step on three databases; budgets are generous.
export default lakeTestConfig({ coverageThreshold: 90, coverageExclude: ['src/cli.ts'], testTimeout: 600_000 });
