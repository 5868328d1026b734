import { lakeTestConfig } from '../../vitest.shared.ts';

// Copies of the workspace checked by the CLI: seconds quiet, over a minute and a half on a loaded machine.
export default lakeTestConfig({ testTimeout: 600_000 });
