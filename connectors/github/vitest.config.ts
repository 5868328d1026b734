import { TestedVersionsReporter } from '@lake/testkit/tested-versions';
import { lakeTestConfig } from '../../vitest.shared.ts';
import { timeBudget } from './test/time-budget.ts';

// The reporter adds what a passing run exercised to tested-versions.json (the integration registry lists it).
export default lakeTestConfig({
  coverageThreshold: 90,
  coverageExclude: ['src/cli.ts'],
  reporters: [new TestedVersionsReporter()],
  // Syncs through a fake GitHub, killed CLI processes: generous, and more so on a small or busy machine.
  testTimeout: timeBudget(60_000),
});
