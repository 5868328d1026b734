import { TestedVersionsReporter } from '@lake/testkit/tested-versions';
import { lakeTestConfig } from '../../vitest.shared.ts';

// The reporter adds what a passing run exercised to tested-versions.json (the integration registry lists it).
export default lakeTestConfig({
  coverageThreshold: 90,
  coverageExclude: ['src/cli.ts'],
  reporters: [new TestedVersionsReporter()],
});
