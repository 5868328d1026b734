import { type BandEdition, recoveryTimeBand } from './bands.js';
import { lowerMedian } from './median.js';
import type { MetricResult } from './metric-result.js';
import type { ReportData } from './report-data.js';
import { inWindow, type ReportWindow, windowInstants } from './report-window.js';

export interface RecoveryTimeCounts {
  /** The project's incidents created in the window. */
  incidents: number;
  /** Of those, the ones not resolved (no resolution date). */
  incidentsUnresolved: number;
  /** The project's incidents resolved in the window. */
  incidentsResolved: number;
  /** Resolved in the window and linked to a deployment. */
  incidentsLinked: number;
  /** Resolved in the window and linked to no deployment. */
  incidentsUnlinked: number;
  /** Resolved in the window, linked to a deployment that finished outside it (2023 leaves them out). */
  incidentsLinkedOutsideWindow: number;
  /** Resolved in the window without `lead_time_minutes` (2021 leaves them out). */
  incidentsWithoutLeadTime: number;
  /** The incidents the median is taken over. */
  incidentsMeasured: number;
}

/**
 * 2023, failed deployment recovery time (§3.5): for each incident resolved in the window and
 * linked to a deployment that finished in the window, whole minutes (truncated) from the
 * deployment's finish to the resolution. 2021, time to restore service: `lead_time_minutes` of
 * the incidents resolved in the window. Lower median of either.
 */
export function recoveryTime(
  data: ReportData,
  window: ReportWindow,
  edition: BandEdition,
): MetricResult<RecoveryTimeCounts> & { name: string } {
  const instants = windowInstants(window);
  const finishOf = new Map(data.deployments.map((deployment) => [deployment.id, deployment.finishedDate]));
  const created = data.incidents.filter((incident) => inWindow(incident.createdDate, instants));
  const resolved = data.incidents.filter((incident) => inWindow(incident.resolutionDate, instants));
  const linked = resolved.filter((incident) => finishOf.has(incident.deploymentId));
  const linkedInside = linked.filter((incident) => inWindow(finishOf.get(incident.deploymentId) ?? null, instants));
  const withLeadTime = resolved.filter((incident) => incident.leadTimeMinutes !== null);
  const values =
    edition === '2023'
      ? linkedInside.map((incident) =>
          Math.trunc((incident.resolutionDate!.getTime() - finishOf.get(incident.deploymentId)!.getTime()) / 60_000),
        )
      : withLeadTime.map((incident) => incident.leadTimeMinutes!);
  const median = lowerMedian(values);
  return {
    name: edition === '2023' ? 'Failed deployment recovery time' : 'Time to restore service',
    value: median,
    unit: 'minutes',
    band: median === null ? null : recoveryTimeBand(median),
    noData:
      median !== null
        ? null
        : edition === '2023'
          ? 'no incident resolved in the window is linked to a deployment that finished in the window'
          : 'no incident with a lead time was resolved in the window',
    counts: {
      incidents: created.length,
      incidentsUnresolved: created.filter((incident) => incident.resolutionDate === null).length,
      incidentsResolved: resolved.length,
      incidentsLinked: linked.length,
      incidentsUnlinked: resolved.length - linked.length,
      incidentsLinkedOutsideWindow: linked.length - linkedInside.length,
      incidentsWithoutLeadTime: resolved.length - withLeadTime.length,
      incidentsMeasured: values.length,
    },
  };
}
