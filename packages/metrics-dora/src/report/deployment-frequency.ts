import { type BandEdition, deploymentFrequencyBand } from './bands.js';
import { lowerMedian, upperMedian } from './median.js';
import type { MetricResult } from './metric-result.js';
import type { ReportData } from './report-data.js';
import { addDays, dayOf, inWindow, type ReportWindow, windowInstants } from './report-window.js';

/** The dashboards look at no more than the last 400 days of a window (§3.2.1). */
const CALENDAR_DAYS = 400;

export interface DeploymentFrequencyCounts {
  /** Deployments (successful PRODUCTION `cicd_deployment_id`s) that finished in the window. */
  deployments: number;
  /** Successful PRODUCTION deployments in the window with no deployment commit, which no figure can see. */
  deploymentsWithoutCommits: number;
  /** Distinct UTC days on which a deployment finished. */
  deploymentDays: number;
  /** The first day counted: the window's, or 400 days before its end. */
  calendarFrom: string;
  weeks: number;
  weeksWithDeployments: number;
  months: number;
  monthsWithDeployments: number;
  weeklyMedian: number;
  monthlyMedian: number;
  /** Blocks of six calendar months counted from the newest, and the upper median of their deployment days (2021). */
  sixMonthBlocks: number;
  sixMonthMedian: number;
}

/**
 * Deployment frequency (§3.2): distinct deployment days per calendar week (from Monday) and per
 * calendar month touched by the window, empty and partial ones included; medians over them.
 */
export function deploymentFrequency(
  data: ReportData,
  window: ReportWindow,
  edition: BandEdition,
): MetricResult<DeploymentFrequencyCounts> {
  const instants = windowInstants(window);
  const inside = data.deployments.filter((deployment) => inWindow(deployment.finishedDate, instants));
  const earliest = addDays(window.to, 1 - CALENDAR_DAYS);
  // Days as YYYY-MM-DD compare as text; the later of the two starts the calendar.
  const calendarFrom = [window.from, earliest].sort()[1]!;
  const days = new Set(
    inside.map((deployment) => dayOf(deployment.finishedDate!)).filter((day) => day >= calendarFrom),
  );
  const weeks = bucketCounts(calendarFrom, window.to, days, weekOf);
  const months = bucketCounts(calendarFrom, window.to, days, (day) => day.slice(0, 7));
  const monthTotals = [...months.values()].reverse();
  const blocks: number[] = [];
  for (let start = 0; start < monthTotals.length; start += 6)
    blocks.push(monthTotals.slice(start, start + 6).reduce((sum, value) => sum + value, 0));
  const medians = {
    weekly: lowerMedian([...weeks.values()])!,
    monthly: lowerMedian([...months.values()])!,
    sixMonthly: upperMedian(blocks)!,
  };
  const perWeek = medians.weekly >= 1;
  return {
    value: inside.length === 0 ? null : perWeek ? medians.weekly : medians.monthly,
    unit: perWeek ? 'deployment days per week' : 'deployment days per month',
    band: inside.length === 0 ? null : deploymentFrequencyBand(medians, edition),
    noData: inside.length === 0 ? 'no deployments in the window' : null,
    counts: {
      deployments: inside.length,
      deploymentsWithoutCommits: data.deploymentsWithoutCommits.filter((row) => inWindow(row.finishedDate, instants))
        .length,
      deploymentDays: days.size,
      calendarFrom,
      weeks: weeks.size,
      weeksWithDeployments: [...weeks.values()].filter((count) => count > 0).length,
      months: months.size,
      monthsWithDeployments: [...months.values()].filter((count) => count > 0).length,
      weeklyMedian: medians.weekly,
      monthlyMedian: medians.monthly,
      sixMonthBlocks: blocks.length,
      sixMonthMedian: medians.sixMonthly,
    },
  };
}

/** Per bucket touched by the days `from`…`to` (in calendar order), how many of `days` fall in it. */
function bucketCounts(
  from: string,
  to: string,
  days: ReadonlySet<string>,
  bucketOf: (day: string) => string,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const bucket = bucketOf(day);
    counts.set(bucket, (counts.get(bucket) ?? 0) + (days.has(day) ? 1 : 0));
  }
  return counts;
}

/** The Monday starting the day's week. */
function weekOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}
