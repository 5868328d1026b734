/** Which DORA report's thresholds and labels: the 2023 State of DevOps report (default) or 2021's. */
export type BandEdition = '2023' | '2021';

export const BAND_EDITIONS: readonly BandEdition[] = ['2023', '2021'];

export type BandLevel = 'elite' | 'high' | 'medium' | 'low';

/** A band with the dashboard's exact label (DevLake's `dora_benchmarks`, which its overview table matches on). */
export interface Band {
  level: BandLevel;
  label: string;
}

const DAY = 1_440;
const WEEK = 7 * DAY;

type Labels = Record<BandLevel, string>;

const LABELS = {
  deploymentFrequency: {
    '2023': {
      elite: 'On-demand(elite)',
      high: 'Between once per day and once per week(high)',
      medium: 'Between once per week and once per month(medium)',
      low: 'Fewer than once per month(low)',
    },
    '2021': {
      elite: 'On-demand(elite)',
      high: 'Between once per day and once per month(high)',
      medium: 'Between once per month and once every 6 months(medium)',
      low: 'Fewer than once per six months(low)',
    },
  },
  leadTime: {
    '2023': {
      elite: 'Less than one day(elite)',
      high: 'Between one day and one week(high)',
      medium: 'Between one week and one month(medium)',
      low: 'More than one month(low)',
    },
    '2021': {
      elite: 'Less than one hour(elite)',
      high: 'Less than one week(high)',
      medium: 'Between one week and six months(medium)',
      low: 'More than six months(low)',
    },
  },
  changeFailureRate: {
    '2023': { elite: '0-5%(elite)', high: '5%-10%(high)', medium: '10%-15%(medium)', low: '> 15%(low)' },
    '2021': { elite: '0-15%(elite)', high: '16%-20%(high)', medium: '21%-30%(medium)', low: '> 30%(low)' },
  },
  recoveryTime: {
    elite: 'Less than one hour(elite)',
    high: 'Less than one day(high)',
    medium: 'Between one day and one week(medium)',
    low: 'More than one week(low)',
  },
} as const satisfies {
  deploymentFrequency: Record<BandEdition, Labels>;
  leadTime: Record<BandEdition, Labels>;
  changeFailureRate: Record<BandEdition, Labels>;
  recoveryTime: Labels;
};

/** Exclusive upper bounds in minutes below which lead time is elite, high, medium (§3.3.3). */
const LEAD_TIME_BOUNDS: Record<BandEdition, [number, number, number]> = {
  '2023': [DAY, WEEK, 30 * DAY],
  '2021': [60, WEEK, 180 * DAY],
};

/** Inclusive upper bounds in percent up to which the change failure rate is elite, high, medium (§3.4.5). */
const FAILURE_RATE_PERCENT_BOUNDS: Record<BandEdition, [number, number, number]> = {
  '2023': [5, 10, 15],
  '2021': [15, 20, 30],
};

function band(labels: Labels, level: BandLevel): Band {
  return { level, label: labels[level] };
}

/** The figures deployment frequency is banded on (§3.2.6): weekly, monthly and six-month medians of deployment days. */
export interface DeploymentDayMedians {
  weekly: number;
  monthly: number;
  sixMonthly: number;
}

export function deploymentFrequencyBand(medians: DeploymentDayMedians, edition: BandEdition): Band {
  const labels = LABELS.deploymentFrequency[edition];
  if (medians.weekly >= 5) return band(labels, 'elite');
  if (edition === '2023') {
    if (medians.weekly >= 1) return band(labels, 'high');
    return band(labels, medians.monthly >= 1 ? 'medium' : 'low');
  }
  if (medians.monthly >= 1) return band(labels, 'high');
  return band(labels, medians.sixMonthly >= 1 ? 'medium' : 'low');
}

/** Lead time in minutes: strictly below each bound. */
export function leadTimeBand(minutes: number, edition: BandEdition): Band {
  return belowBounds(minutes, LEAD_TIME_BOUNDS[edition], LABELS.leadTime[edition]);
}

/** `failed` of `total` deployments, compared in integers so that exactly 5 % is 5 % (inclusive bounds). */
export function changeFailureRateBand(failed: number, total: number, edition: BandEdition): Band {
  const labels = LABELS.changeFailureRate[edition];
  const [elite, high, medium] = FAILURE_RATE_PERCENT_BOUNDS[edition];
  if (failed * 100 <= elite * total) return band(labels, 'elite');
  if (failed * 100 <= high * total) return band(labels, 'high');
  if (failed * 100 <= medium * total) return band(labels, 'medium');
  return band(labels, 'low');
}

/** Recovery time (2023) or time to restore service (2021) in minutes: the same bounds in both editions. */
export function recoveryTimeBand(minutes: number): Band {
  return belowBounds(minutes, [60, DAY, WEEK], LABELS.recoveryTime);
}

function belowBounds(value: number, [elite, high, medium]: [number, number, number], labels: Labels): Band {
  if (value < elite) return band(labels, 'elite');
  if (value < high) return band(labels, 'high');
  if (value < medium) return band(labels, 'medium');
  return band(labels, 'low');
}
