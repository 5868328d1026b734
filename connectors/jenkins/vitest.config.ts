import { TestedVersionsReporter } from '@lake/testkit/tested-versions';
import { lakeTestConfig } from '../../vitest.shared.ts';

// The reporter notes what a passing run exercised; pnpm registry:update adds it to tested-versions.json.
export default lakeTestConfig({
  coverageThreshold: 90,
  coverageExclude: ['src/cli.ts'],
  reporters: [new TestedVersionsReporter()],
});
