import type { Step } from '../step-outcome.js';
import { changeLeadTimeStep } from './change-lead-time.js';
import { commitDiffsStep } from './commit-diffs.js';
import { deploymentCommitsStep } from './deployment-commits.js';
import { deploymentsStep } from './deployments.js';
import { incidentDeploymentsStep } from './incident-deployments.js';
import { incidentsStep } from './incidents.js';
import { previousDeploymentsStep } from './previous-deployments.js';

/** The steps in the order they run (DevLake's dora → refdiff → dora plan). */
export const STEP_NAMES = [
  'deployments',
  'deployment-commits',
  'previous-deployments',
  'commit-diffs',
  'change-lead-time',
  'incidents',
  'incident-deployments',
] as const;

export type StepName = (typeof STEP_NAMES)[number];

export const STEPS = {
  deployments: deploymentsStep,
  'deployment-commits': deploymentCommitsStep,
  'previous-deployments': previousDeploymentsStep,
  'commit-diffs': commitDiffsStep,
  'change-lead-time': changeLeadTimeStep,
  incidents: incidentsStep,
  'incident-deployments': incidentDeploymentsStep,
} as const satisfies Record<StepName, Step>;

export function isStepName(name: string): name is StepName {
  return (STEP_NAMES as readonly string[]).includes(name);
}
