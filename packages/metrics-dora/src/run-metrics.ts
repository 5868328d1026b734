import { LakeError, runMigrations, SDK_MIGRATIONS, type Store } from '@lake/sdk';
import { assertKnownProject } from './known-project.js';
import { METRICS_DORA_MIGRATIONS, MIGRATION_OWNER } from './migrations.js';
import type { StepOutcome } from './step-outcome.js';
import { isStepName, STEP_NAMES, STEPS, type StepName } from './steps/index.js';

export interface RunMetricsOptions {
  projectName: string;
  /** Steps to run (in the standard order, whatever order they are given in); default all. */
  steps?: readonly string[];
}

export interface StepReport extends StepOutcome {
  step: StepName;
}

/**
 * Applies the SDK's and this metric's migrations, then runs the steps for one project.
 *
 *   const store = await openStore('sqlite:.lake/lake.db');
 *   const reports = await runMetrics(store, { projectName: 'shop' });
 */
export async function runMetrics(store: Store, options: RunMetricsOptions): Promise<StepReport[]> {
  const selected = selectSteps(options.steps);
  if (options.projectName.trim() === '')
    throw new LakeError('USAGE', 'project name is empty: give --project <name>', { source: 'metrics-dora' });
  await runMigrations(store, 'sdk', SDK_MIGRATIONS);
  await runMigrations(store, MIGRATION_OWNER, METRICS_DORA_MIGRATIONS);
  await assertKnownProject(store.db, options.projectName);
  const reports: StepReport[] = [];
  for (const step of selected) {
    reports.push({ step, ...(await STEPS[step](store, { projectName: options.projectName })) });
  }
  return reports;
}

/** The named steps in run order; an unknown name is refused, naming the valid ones. */
export function selectSteps(names: readonly string[] | undefined): StepName[] {
  if (names === undefined || names.length === 0) return [...STEP_NAMES];
  const unknown = names.filter((name) => !isStepName(name));
  if (unknown.length > 0)
    throw new LakeError(
      'USAGE',
      `unknown step ${unknown.map((name) => `"${name}"`).join(', ')}; the steps are ${STEP_NAMES.join(', ')}`,
      { source: 'metrics-dora', details: { unknown, valid: [...STEP_NAMES] } },
    );
  return STEP_NAMES.filter((step) => names.includes(step));
}
