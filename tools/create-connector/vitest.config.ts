import { lakeTestConfig } from '../../vitest.shared.ts';

// A scaffolded connector's own test suite (the conformance suite on every dialect), build and
// publish run inside one test: seven minutes on a quiet machine, and past thirty when the whole
// CI runs beside it on two cores (seen once: the scaffold step alone took the full thirty).
// beforeAll copies the repository and installs it offline.
export default lakeTestConfig({ testTimeout: 2_700_000, hookTimeout: 900_000 });
