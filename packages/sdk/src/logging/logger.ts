import type { Redactor } from '../secrets/redactor.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogEntry {
  level: LogLevel;
  message: string;
  time: string;
  fields: Record<string, unknown>;
}

/**
 * Structured logging with secrets scrubbed from every message and field before the entry
 * leaves the logger. `child({ stream: 'issues' })` adds fields to every entry.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export type LogSink = (entry: LogEntry) => void;

export interface CreateLoggerOptions {
  level?: LogLevel;
  sink: LogSink;
  redactor?: Redactor;
  fields?: Record<string, unknown>;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const threshold = LEVEL_ORDER[options.level ?? 'info'];
  const base = options.fields ?? {};
  const emit = (level: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
    if (LEVEL_ORDER[level] < threshold) return;
    const merged = { ...base, ...fields };
    const redactor = options.redactor;
    options.sink({
      level,
      time: new Date().toISOString(),
      message: redactor ? redactor.redact(message) : message,
      fields: redactor ? redactor.redactValue(merged) : merged,
    });
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

/** A logger that drops everything (tests, library use without a sink). */
export const silentLogger: Logger = createLogger({ level: 'error', sink: () => {} });

/** One line per entry: `12:00:01 info  [issues] collected page 3 {"records":100}`. */
export function formatLogLine(entry: LogEntry): string {
  const { stream, ...rest } = entry.fields;
  const where = typeof stream === 'string' ? ` [${stream}]` : '';
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  return `${entry.time.slice(11, 19)} ${entry.level.padEnd(5)}${where} ${entry.message}${extra}`;
}
