import { TestedVersionsReporter } from '@lake/testkit/tested-versions';
import { lakeTestConfig } from '../../vitest.shared.ts';
import { timeBudget } from './test/time-budget.ts';

// The reporter notes what a passing run exercised; pnpm registry:update adds it to tested-versions.json.
export default lakeTestConfig({
  coverageThreshold: 90,
  coverageExclude: ['src/cli.ts'],
  reporters: [new TestedVersionsReporter()],
  // Syncs through a fake GitHub, killed CLI processes: generous, and more so on a small or busy machine.
  testTimeout: timeBudget(60_000),
});
