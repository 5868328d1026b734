/**
 * @lake/testkit/fake-api — the fake-API kit without vitest: importable from a plain Node script
 * (a connector's fake served on a port for its standalone CLI, `lake-fake-api serve`).
 */
export {
  FakeApi,
  type FakeRequest,
  type FakeRequestRecord,
  type FakeResponse,
  type FaultKind,
  type FaultSpec,
  type Hostility,
  type RateLimitOptions,
  type RouteHandler,
  type StartFakeApiOptions,
  startFakeApi,
} from './fake-api/fake-api.js';
export {
  graphqlConnection,
  hostileOrder,
  type LinkPaginationOptions,
  paginateByCursor,
  paginateByLink,
  paginateByNextPageHeader,
  paginateByOffset,
} from './fake-api/pagination.js';
export type { ServedFake, ServeFake, ServeFakeOptions } from './fake-api/served-fake.js';
export {
  type CredentialTally,
  startWindowedRateLimitApi,
  type WindowedRateLimitApi,
  type WindowedRateLimitApiOptions,
} from './fake-api/windowed-rate-limit-api.js';
export { recordTestedVersion } from './tested-versions/record-tested-version.js';
