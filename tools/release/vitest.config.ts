import { lakeTestConfig } from '../../vitest.shared.ts';

// Publishing the workspace took over five minutes on a loaded machine; beforeAll copies the
// repository and installs it offline.
export default lakeTestConfig({ testTimeout: 900_000, hookTimeout: 900_000 });
