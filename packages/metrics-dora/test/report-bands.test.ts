import { describe, expect, it } from 'vitest';
import { changeFailureRateBand, deploymentFrequencyBand, leadTimeBand, recoveryTimeBand } from '../src/report/bands.js';
import { lowerMedian, upperMedian } from '../src/report/median.js';
import { reportWindow } from '../src/report/report-window.js';

const HOUR = 60;
const DAY = 24 * HOUR;

describe('the bands (§3.6)', () => {
  it('bands lead time strictly below one day, one week, thirty days (2023)', () => {
    const levels = [DAY - 1, DAY, 7 * DAY - 1, 7 * DAY, 30 * DAY - 1, 30 * DAY].map((minutes) =>
      leadTimeBand(minutes, '2023'),
    );
    expect(levels.map((band) => band.level)).toEqual(['elite', 'high', 'high', 'medium', 'medium', 'low']);
    expect(levels.map((band) => band.label)).toEqual([
      'Less than one day(elite)',
      'Between one day and one week(high)',
      'Between one day and one week(high)',
      'Between one week and one month(medium)',
      'Between one week and one month(medium)',
      'More than one month(low)',
    ]);
  });

  it('bands lead time strictly below one hour, one week, 180 days (2021)', () => {
    const levels = [HOUR - 1, HOUR, 7 * DAY - 1, 7 * DAY, 180 * DAY - 1, 180 * DAY].map((minutes) =>
      leadTimeBand(minutes, '2021'),
    );
    expect(levels.map((band) => band.label)).toEqual([
      'Less than one hour(elite)',
      'Less than one week(high)',
      'Less than one week(high)',
      'Between one week and six months(medium)',
      'Between one week and six months(medium)',
      'More than six months(low)',
    ]);
  });

  it('bands the change failure rate with inclusive upper bounds, in exact integers', () => {
    const rate = (failed: number, total: number, edition: '2023' | '2021') =>
      changeFailureRateBand(failed, total, edition).label;
    expect([
      rate(0, 3, '2023'),
      rate(1, 20, '2023'),
      rate(1, 19, '2023'),
      rate(1, 10, '2023'),
      rate(3, 29, '2023'),
    ]).toEqual(['0-5%(elite)', '0-5%(elite)', '5%-10%(high)', '5%-10%(high)', '10%-15%(medium)']);
    expect([rate(3, 20, '2023'), rate(4, 26, '2023')]).toEqual(['10%-15%(medium)', '> 15%(low)']);
    expect([
      rate(3, 20, '2021'),
      rate(4, 26, '2021'),
      rate(1, 5, '2021'),
      rate(3, 10, '2021'),
      rate(4, 13, '2021'),
    ]).toEqual(['0-15%(elite)', '16%-20%(high)', '16%-20%(high)', '21%-30%(medium)', '> 30%(low)']);
  });

  it('bands recovery time strictly below one hour, one day, one week', () => {
    expect([59, 60, DAY - 1, DAY, 7 * DAY - 1, 7 * DAY].map((minutes) => recoveryTimeBand(minutes).label)).toEqual([
      'Less than one hour(elite)',
      'Less than one day(high)',
      'Less than one day(high)',
      'Between one day and one week(medium)',
      'Between one day and one week(medium)',
      'More than one week(low)',
    ]);
  });

  it('bands deployment frequency on the weekly, monthly and six-month medians', () => {
    const band = (weekly: number, monthly: number, sixMonthly: number, edition: '2023' | '2021') =>
      deploymentFrequencyBand({ weekly, monthly, sixMonthly }, edition).label;
    expect([
      band(5, 20, 120, '2023'),
      band(4, 16, 96, '2023'),
      band(1, 4, 24, '2023'),
      band(0, 1, 6, '2023'),
      band(0, 0, 1, '2023'),
    ]).toEqual([
      'On-demand(elite)',
      'Between once per day and once per week(high)',
      'Between once per day and once per week(high)',
      'Between once per week and once per month(medium)',
      'Fewer than once per month(low)',
    ]);
    expect([band(5, 20, 120, '2021'), band(0, 1, 6, '2021'), band(0, 0, 1, '2021'), band(0, 0, 0, '2021')]).toEqual([
      'On-demand(elite)',
      'Between once per day and once per month(high)',
      'Between once per month and once every 6 months(medium)',
      'Fewer than once per six months(low)',
    ]);
  });
});

describe('the medians (§3.1)', () => {
  it('takes the lower median, and the upper one for six-month blocks', () => {
    expect([lowerMedian([]), lowerMedian([7]), lowerMedian([4, 1, 3, 2]), lowerMedian([5, 1, 3])]).toEqual([
      null,
      7,
      2,
      3,
    ]);
    expect([
      upperMedian([]),
      upperMedian([7]),
      upperMedian([4, 1, 3, 2]),
      upperMedian([2, 2, 2]),
      upperMedian([1, 1, 3]),
    ]).toEqual([null, 7, 3, 2, 3]);
  });
});

describe('the report window', () => {
  const now = new Date('2026-08-31T23:30:00Z');

  it('defaults to six months up to today, clamped to the end of a shorter month', () => {
    expect(reportWindow(undefined, undefined, now)).toEqual({ from: '2026-02-28', to: '2026-08-31' });
    expect(reportWindow(undefined, '2026-01-15', now)).toEqual({ from: '2025-07-15', to: '2026-01-15' });
    expect(reportWindow('2026-01-01', undefined, now)).toEqual({ from: '2026-01-01', to: '2026-08-31' });
  });

  it('refuses a date that is not YYYY-MM-DD or does not exist, and a reversed window, naming the flag', () => {
    expect(() => reportWindow('2026-02-30', undefined, now)).toThrow('--from "2026-02-30" is not a date YYYY-MM-DD');
    expect(() => reportWindow(undefined, '1 March', now)).toThrow('--to "1 March" is not a date YYYY-MM-DD');
    expect(() => reportWindow('2026-03-02', '2026-03-01', now)).toThrow('--from 2026-03-02 is after --to 2026-03-01');
  });
});
