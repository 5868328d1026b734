import { lakeTestConfig } from '../../vitest.shared.ts';

export default lakeTestConfig({ testTimeout: 300_000 });
