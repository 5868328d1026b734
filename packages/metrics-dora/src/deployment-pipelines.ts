import type { LakeKysely } from '@lake/sdk';
import { chunks, textOf } from './values.js';

const DEPLOYMENT = 'DEPLOYMENT';
const FINISHED_RESULTS = new Set(['SUCCESS', 'FAILURE']);
/** The environments an empty one is inferred from, in order of preference. */
const INFERRED_ENVIRONMENTS = ['PRODUCTION', 'STAGING', 'TESTING'] as const;

/** A `cicd_pipelines` row that is a deployment, with its environment as the deployment has it. */
export interface DeploymentPipeline {
  row: Record<string, unknown>;
  id: string;
  environment: string;
}

interface TaskFacts {
  hasDeploymentTask: boolean;
  environments: Set<string>;
}

/**
 * The pipelines of `scopeIds` that are deployments: result SUCCESS or FAILURE, and type
 * DEPLOYMENT or a DEPLOYMENT task that succeeded or failed. An empty environment is inferred
 * from tasks (any type) that succeeded or failed: PRODUCTION, else STAGING, else TESTING, else ''.
 */
export async function deploymentPipelines(db: LakeKysely, scopeIds: readonly string[]): Promise<DeploymentPipeline[]> {
  if (scopeIds.length === 0) return [];
  const pipelines: Record<string, unknown>[] = [];
  for (const scopes of chunks(scopeIds)) {
    pipelines.push(
      ...(await db
        .selectFrom('cicd_pipelines')
        .selectAll()
        .where('cicd_scope_id', 'in', scopes)
        .where('result', 'in', [...FINISHED_RESULTS])
        .orderBy('id')
        .execute()),
    );
  }
  const facts = await taskFacts(
    db,
    pipelines.map((row) => String(row.id)),
  );
  const deployments: DeploymentPipeline[] = [];
  for (const row of pipelines) {
    const id = String(row.id);
    const tasks = facts.get(id);
    if (textOf(row.type) !== DEPLOYMENT && !tasks?.hasDeploymentTask) continue;
    deployments.push({ row, id, environment: environmentOf(textOf(row.environment), tasks) });
  }
  return deployments;
}

function environmentOf(declared: string, tasks: TaskFacts | undefined): string {
  if (declared !== '') return declared;
  return INFERRED_ENVIRONMENTS.find((environment) => tasks?.environments.has(environment)) ?? '';
}

/** Per pipeline: whether a DEPLOYMENT task succeeded or failed, and the environments of tasks that did. */
async function taskFacts(db: LakeKysely, pipelineIds: readonly string[]): Promise<Map<string, TaskFacts>> {
  const facts = new Map<string, TaskFacts>();
  for (const ids of chunks(pipelineIds)) {
    const tasks = await db
      .selectFrom('cicd_tasks')
      .select(['pipeline_id', 'type', 'result', 'environment'])
      .where('pipeline_id', 'in', ids)
      .where('result', 'in', [...FINISHED_RESULTS])
      .execute();
    for (const task of tasks) {
      const pipelineId = String(task.pipeline_id);
      let fact = facts.get(pipelineId);
      if (!fact) {
        fact = { hasDeploymentTask: false, environments: new Set() };
        facts.set(pipelineId, fact);
      }
      if (textOf(task.type) === DEPLOYMENT) fact.hasDeploymentTask = true;
      fact.environments.add(textOf(task.environment));
    }
  }
  return facts;
}
