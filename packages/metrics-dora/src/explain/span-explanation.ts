/** One time span of a pull request: its minutes, what it was measured between, or why it is missing. */
export interface SpanExplanation {
  minutes: number | null;
  /** What the span starts at, e.g. `first commit x1 authored 2026-01-04T08:00:30.000Z`. */
  from: string | null;
  /** What it ends at. */
  to: string | null;
  /** Why `minutes` is null; null when it is measured. */
  reason: string | null;
}

export function measured(minutes: number, from: string, to: string): SpanExplanation {
  return { minutes, from, to, reason: null };
}

export function missing(reason: string, from: string | null = null, to: string | null = null): SpanExplanation {
  return { minutes: null, from, to, reason };
}

export function isoOf(date: Date | null): string {
  return date ? date.toISOString() : '(no date)';
}
