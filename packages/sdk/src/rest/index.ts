/** Declarative REST streams: a paginated JSON listing described rather than coded. */
export { defineRestStream, defineRestSubstream } from './define-rest-stream.js';
export type { Duration } from './duration.js';
export type { RestCursor } from './rest-cursor.js';
export type { RestStreamState } from './rest-listing.js';
export type {
  RestParentContext,
  RestSearchParams,
  RestStreamBase,
  RestStreamDefinition,
  RestSubstreamDefinition,
  RestSubstreamExtractContext,
} from './rest-stream-options.js';
export { type RenderTimeOptions, renderLowerBound, type TimeFormat, type TimePrecision } from './zoned-time.js';
