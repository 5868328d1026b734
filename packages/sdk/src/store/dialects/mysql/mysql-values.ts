import type { DriverValues } from '../../value-codec.js';

/** mysql2 binds booleans and Dates as they are (Dates in UTC: the pool's `timezone: 'Z'`). */
export const MYSQL_VALUES: DriverValues = { booleans: [true, false], datetime: (date) => date };
