import { lakeTestConfig } from '../../vitest.shared.ts';

export default lakeTestConfig({ testTimeout: 120_000 });
