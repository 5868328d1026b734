import { lakeTestConfig } from '../../vitest.shared.ts';

export default lakeTestConfig({ coverageThreshold: 80, coverageExclude: ['test/**'] });
