import type { JenkinsScopeConfig } from './settings.js';

/** A build's result as DevLake's domain has it: ABORTED counts as a failure, as DevLake's Jenkins plugin does. */
export function buildResult(building: boolean, result: string | null | undefined): string {
  if (building) return '';
  if (result === 'SUCCESS') return 'SUCCESS';
  if (result === 'FAILURE' || result === 'ABORTED') return 'FAILURE';
  return '';
}

/** A `/wfapi/` stage status (SUCCESS, FAILED, ABORTED, IN_PROGRESS, PAUSED_PENDING_INPUT, NOT_EXECUTED, UNSTABLE). */
export function stageOutcome(status: string | null | undefined): { result: string; status: string } {
  if (status === 'SUCCESS') return { result: 'SUCCESS', status: 'DONE' };
  if (status === 'FAILED' || status === 'ABORTED') return { result: 'FAILURE', status: 'DONE' };
  if (status === 'IN_PROGRESS' || status === 'PAUSED_PENDING_INPUT') return { result: '', status: 'IN_PROGRESS' };
  if (status === 'UNSTABLE' || status === 'NOT_EXECUTED') return { result: '', status: 'DONE' };
  return { result: '', status: 'OTHER' };
}

/**
 * DevLake's regex enrichment: a name matching `deploymentPattern` is a DEPLOYMENT; its
 * environment is PRODUCTION when `productionPattern` is empty or matches.
 */
export function deploymentOf(name: string, config: JenkinsScopeConfig): { type: string; environment: string } {
  const deployment = new RegExp(config.deploymentPattern, 'i').test(name);
  if (!deployment) return { type: '', environment: '' };
  const production = config.productionPattern === '' || new RegExp(config.productionPattern, 'i').test(name);
  return { type: 'DEPLOYMENT', environment: production ? 'PRODUCTION' : '' };
}

/** `start` plus `durationMs`, or null for a run that has not finished. */
export function finishOf(start: Date | null, durationMs: number, done: boolean): Date | null {
  if (!done || start === null) return null;
  return new Date(start.getTime() + durationMs);
}
