/** @lake/sdk/cli — the standalone connector CLI every connector's `bin` runs. */

export { formatDuration, formatNumber, formatTable, renderFacts, renderSyncResult } from './cli/render.js';
export {
  type CliIo,
  type ConnectorCliOptions,
  main,
  runConnectorCli,
} from './cli/run-connector-cli.js';
export { SYNC_NODE_FLAGS } from './cli/sync-node-flags.js';
