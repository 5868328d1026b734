/**
 * The one test configuration every package uses. A package's `vitest.config.ts` is
 *
 *   import { lakeTestConfig } from '../../vitest.shared.ts';
 *   export default lakeTestConfig({ coverageThreshold: 90 });
 *
 * Timeouts are budgets, not targets: they say when a test has hung, never how fast it ought to
 * be (speed belongs in `pnpm bench`). The suite must pass with every core busy (`pnpm stress`,
 * DEVELOPERS.md), so a budget is several times what its test takes on a loaded machine, it is
 * set here rather than in the test file, and LAKE_TEST_TIME_SCALE multiplies all of them at
 * once for a machine slower still. A test that needs a limit of its own (to stop a child
 * process and still report its output) derives it from its budget, `task.timeout`.
 */
import { defineConfig, type ViteUserConfig } from 'vitest/config';
import type { Reporter } from 'vitest/node';

export interface LakeTestOptions {
  /** Minimum line/statement/function/branch coverage in percent; omitted means coverage is reported, not enforced. */
  coverageThreshold?: number;
  /** Files excluded from coverage besides tests and type-only files. */
  coverageExclude?: string[];
  /**
   * Per-test budget in milliseconds before scaling; default 5 min. Database suites that take
   * 10 s on a quiet machine took over a minute with both cores busy and other jobs running.
   */
  testTimeout?: number;
  /** Per-hook budget (a `beforeAll` that starts a registry and publishes to it) before scaling; default 5 min. */
  hookTimeout?: number;
  /** Reporters besides the default one (connectors add the testkit's TestedVersionsReporter). */
  reporters?: Reporter[];
}

/** LAKE_TEST_TIME_SCALE as a factor (default 1); anything but a positive number is refused, not ignored. */
export function testTimeScale(environment: NodeJS.ProcessEnv = process.env): number {
  const value = environment.LAKE_TEST_TIME_SCALE?.trim();
  if (!value) return 1;
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0)
    throw new Error(
      `[lake] LAKE_TEST_TIME_SCALE must be a positive number (a factor for every test budget), not "${value}"`,
    );
  return scale;
}

export function lakeTestConfig(options: LakeTestOptions = {}): ViteUserConfig {
  const threshold = options.coverageThreshold;
  const scale = testTimeScale();
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: Math.round((options.testTimeout ?? 300_000) * scale),
      hookTimeout: Math.round((options.hookTimeout ?? 300_000) * scale),
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
