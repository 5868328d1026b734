import { LakeError } from '@lake/sdk';

const DAY_MS = 86_400_000;

/** A report's window: whole UTC days, both ends inclusive (Grafana's time filter is inclusive at both ends). */
export interface ReportWindow {
  /** First day, `YYYY-MM-DD`. */
  from: string;
  /** Last day, `YYYY-MM-DD` (included). */
  to: string;
}

/** The window as instants: [start, end) with `end` the midnight after the last day. */
export interface WindowInstants {
  start: Date;
  end: Date;
}

/**
 * The window a report covers: the given days, or the dashboard's default, the last six months up
 * to `now` (the same day of the month six months earlier, clamped to that month's last day).
 */
export function reportWindow(from: string | undefined, to: string | undefined, now: Date): ReportWindow {
  const last = to === undefined ? dayOf(now) : parseDay(to, 'to');
  const first = from === undefined ? sixMonthsBefore(last) : parseDay(from, 'from');
  if (first > last) throw usage(`--from ${first} is after --to ${last}`, 'from');
  return { from: first, to: last };
}

export function windowInstants(window: ReportWindow): WindowInstants {
  return { start: new Date(`${window.from}T00:00:00Z`), end: new Date(Date.parse(`${window.to}T00:00:00Z`) + DAY_MS) };
}

/** Whether `date` lies in the window (a missing date never does). */
export function inWindow(date: Date | null, instants: WindowInstants): boolean {
  return date !== null && date.getTime() >= instants.start.getTime() && date.getTime() < instants.end.getTime();
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The day `days` after `day` (negative: before). */
export function addDays(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

function parseDay(text: string, flag: 'from' | 'to'): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || dayOf(date) !== text) throw usage(`--${flag} "${text}" is not a date YYYY-MM-DD`, flag);
  return text;
}

function sixMonthsBefore(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const monthIndex = year * 12 + (month - 1) - 6;
  const lastOfMonth = new Date(Date.UTC(Math.floor(monthIndex / 12), (monthIndex % 12) + 1, 0)).getUTCDate();
  return dayOf(new Date(Date.UTC(Math.floor(monthIndex / 12), monthIndex % 12, Math.min(date, lastOfMonth))));
}

function usage(message: string, field: string): LakeError {
  return new LakeError('USAGE', message, { source: 'metrics-dora', details: { field } });
}
