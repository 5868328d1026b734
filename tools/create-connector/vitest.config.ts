import { lakeTestConfig } from '../../vitest.shared.ts';

export default lakeTestConfig({ testTimeout: 600_000 });
