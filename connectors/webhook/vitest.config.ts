import { TestedVersionsReporter } from '@lake/testkit/tested-versions';
import { mergeConfig } from 'vitest/config';
import { lakeTestConfig } from '../../vitest.shared.ts';

/**
 * These suites build real repositories and sync them end to end on three databases, and the
 * machines that run them may be busy: budgets are generous, so that only a failure fails.
 */
const BUDGET_MS = 600_000;

// The reporter notes what a passing run exercised; pnpm registry:update adds it to tested-versions.json.
export default mergeConfig(
  lakeTestConfig({
    coverageThreshold: 90,
    coverageExclude: ['src/cli.ts'],
    testTimeout: BUDGET_MS,
    reporters: [new TestedVersionsReporter()],
  }),
  { test: { hookTimeout: BUDGET_MS, teardownTimeout: BUDGET_MS } },
);
