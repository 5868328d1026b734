import { lakeTestConfig } from '../../vitest.shared.ts';

export default lakeTestConfig({ coverageThreshold: 90, coverageExclude: ['src/cli.ts'] });
