import { instantOfWallTime } from './zoned-clock.js';

/** What the fake understands of a JQL query: an optional `filter = <id>`, `updated >= "<date>"` and an `ORDER BY`. */
export interface JqlQuery {
  /** The saved filter the query names (`filter = 10000`), if any. */
  filter?: string;
  /** Epoch ms of the `updated >=` bound, read in the user's zone. */
  updatedFrom?: number;
  orderBy: { field: 'updated' | 'created' | 'key'; descending: boolean };
}

export class JqlError extends Error {}

const DATE = /^(\d{4})[/-](\d{2})[/-](\d{2})(?: (\d{2}):(\d{2}))?$/;

/**
 * Parses the JQL the connector may send, as Jira does: dates `yyyy/MM/dd HH:mm`,
 * `yyyy-MM-dd HH:mm` or a bare day, in the user's time zone, to the minute. Anything else is
 * an error, answered with Jira's 400 body.
 */
export function parseJql(jql: string, zone: string): JqlQuery {
  let rest = jql.trim();
  const query: JqlQuery = { orderBy: { field: 'key', descending: false } };
  const order = /\s*ORDER BY\s+(\w+)(?:\s+(ASC|DESC))?\s*$/i.exec(rest);
  if (order) {
    const field = order[1]!.toLowerCase();
    if (field !== 'updated' && field !== 'created' && field !== 'key')
      throw new JqlError(`Not able to sort using field '${order[1]}'.`);
    query.orderBy = { field, descending: order[2]?.toUpperCase() === 'DESC' };
    rest = rest.slice(0, order.index).trim();
  }
  const filter = /^filter\s*=\s*"?(\d+)"?(?:\s+AND\s+|$)/i.exec(rest);
  if (filter) {
    query.filter = filter[1]!;
    rest = rest.slice(filter[0].length).trim();
  }
  if (rest === '') return query;
  const clause = /^updated\s*>=\s*["']([^"']+)["']$/i.exec(rest);
  if (!clause) throw new JqlError(`Error in the JQL Query: the fake does not understand '${rest}'.`);
  const date = DATE.exec(clause[1]!);
  if (!date)
    throw new JqlError(
      `Date value '${clause[1]}' for field 'updated' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
    );
  const [, year, month, day, hour, minute] = date;
  query.updatedFrom = instantOfWallTime(
    {
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: Number(hour ?? 0),
      minute: Number(minute ?? 0),
    },
    zone,
  );
  return query;
}
