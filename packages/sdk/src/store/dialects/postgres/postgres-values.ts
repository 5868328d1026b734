import type { DriverValues } from '../../value-codec.js';

/** PostgreSQL text cannot hold NUL. */
const withoutNul = (text: string) => (text.includes('\u0000') ? text.replaceAll('\u0000', '') : text);

/** node-postgres binds booleans and Dates as they are; text loses its NUL characters. */
export const POSTGRES_VALUES: DriverValues = { booleans: [true, false], datetime: (date) => date, text: withoutNul };
