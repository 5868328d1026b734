import { lakeTestConfig } from '../../vitest.shared.ts';

export default lakeTestConfig({ coverageThreshold: 85, testTimeout: 300_000 });
