import { lakeTestConfig } from '../../vitest.shared.ts';

export default lakeTestConfig();
