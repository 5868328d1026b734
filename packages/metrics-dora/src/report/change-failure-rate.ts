import { type BandEdition, changeFailureRateBand } from './bands.js';
import type { MetricResult } from './metric-result.js';
import type { ReportData } from './report-data.js';
import { inWindow, type ReportWindow, windowInstants } from './report-window.js';

export interface ChangeFailureRateCounts {
  /** Deployments that finished in the window: the denominator. */
  deployments: number;
  /** Of those, the ones an incident of the project is linked to: the numerator. */
  deploymentsWithIncident: number;
  /** The project's incidents created in the window, linked to a deployment or not. */
  incidents: number;
  incidentsLinked: number;
  incidentsUnlinked: number;
}

/**
 * Change failure rate (§3.4): deployments in the window that an incident is linked to (by this
 * project's `project_incident_deployment_relationships`) ÷ deployments in the window, as a ratio.
 */
export function changeFailureRate(
  data: ReportData,
  window: ReportWindow,
  edition: BandEdition,
): MetricResult<ChangeFailureRateCounts> {
  const instants = windowInstants(window);
  const deployments = data.deployments.filter((deployment) => inWindow(deployment.finishedDate, instants));
  const blamed = new Set(data.incidents.map((incident) => incident.deploymentId));
  const failed = deployments.filter((deployment) => blamed.has(deployment.id)).length;
  const created = data.incidents.filter((incident) => inWindow(incident.createdDate, instants));
  const linked = created.filter((incident) => incident.deploymentId !== '').length;
  const total = deployments.length;
  return {
    value: total === 0 ? null : failed / total,
    unit: 'ratio',
    band: total === 0 ? null : changeFailureRateBand(failed, total, edition),
    noData: total === 0 ? 'no deployments in the window' : null,
    counts: {
      deployments: total,
      deploymentsWithIncident: failed,
      incidents: created.length,
      incidentsLinked: linked,
      incidentsUnlinked: created.length - linked,
    },
  };
}
