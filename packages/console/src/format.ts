export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return '–';
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 60 * 48) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 60 / 24).toFixed(1)} d`;
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z') : '–';
}

export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${milliseconds} ms`;
  const seconds = milliseconds / 1000;
  return seconds < 120 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** The stable code a run's error starts with (`SETTINGS_INVALID: …`), when it has one. */
export function errorCodeOf(error: string): string | null {
  return /^\[?([A-Z][A-Z0-9_]{2,})\]?[:\s]/.exec(error)?.[1] ?? null;
}
