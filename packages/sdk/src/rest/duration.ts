import { LakeError } from '../errors/lake-error.js';

/** A length of time: milliseconds, or a number with a unit (`90s`, `5m`, `2h`, `1d`). */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a duration; a clear `CONNECTOR_INVALID` naming `field` when it is not one. */
export function durationMs(value: Duration | undefined, field: string): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
  } else {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value);
    if (match) return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  throw new LakeError(
    'CONNECTOR_INVALID',
    `${field} must be a duration (milliseconds, or a number with ms, s, m, h or d), not ${JSON.stringify(value)}`,
  );
}
