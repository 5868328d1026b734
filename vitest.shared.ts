/**
 * The one test configuration every package uses. A package's `vitest.config.ts` is
 *
 *   import { lakeTestConfig } from '../../vitest.shared.ts';
 *   export default lakeTestConfig({ coverageThreshold: 90 });
 */
import { defineConfig, type ViteUserConfig } from 'vitest/config';
import type { Reporter } from 'vitest/node';

export interface LakeTestOptions {
  /** Minimum line/statement/function/branch coverage in percent; omitted means coverage is reported, not enforced. */
  coverageThreshold?: number;
  /** Files excluded from coverage besides tests and type-only files. */
  coverageExclude?: string[];
  /** Per-test timeout in milliseconds (database and git suites need more than vitest's 5 s default). */
  testTimeout?: number;
  /** Reporters besides the default one (connectors add the testkit's TestedVersionsReporter). */
  reporters?: Reporter[];
}

export function lakeTestConfig(options: LakeTestOptions = {}): ViteUserConfig {
  const threshold = options.coverageThreshold;
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 60_000,
      hookTimeout: 60_000,
      pool: 'forks',
      reporters: ['default', ...(options.reporters ?? [])],
      coverage: {
        provider: 'v8',
        include: ['src/**/*.ts'],
        exclude: ['src/**/*.test.ts', 'src/**/__fixtures__/**', ...(options.coverageExclude ?? [])],
        reporter: ['text-summary', 'json-summary'],
        thresholds:
          threshold === undefined
            ? undefined
            : { lines: threshold, statements: threshold, functions: threshold, branches: threshold - 10 },
      },
    },
  });
}
