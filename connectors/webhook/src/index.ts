/**
 * @lake/connector-webhook — deployments and incidents posted over HTTP by any CI or incident tool.
 * The connector (a sync writes the connection's cicd scope and board) and the receiver that
 * `lake-connector-webhook serve` and `lake webhook serve` run.
 */
export { webhookConnector, webhookConnector as default } from './connector.js';
export { type WebhookIds, webhookIds } from './domain-ids.js';
export { migrateWebhookLake } from './migrate-lake.js';
export { type DeploymentPayload, deploymentPayload } from './receiver/deployment-payload.js';
export { type IncidentPayload, incidentPayload } from './receiver/incident-payload.js';
export {
  createWebhookReceiver,
  type ReceiverConnection,
  type ReceiverOptions,
  type RequestLogEntry,
  type WebhookReceiver,
} from './receiver/receiver.js';
export { type FieldProblem, WebhookError, type WebhookErrorCode } from './receiver/webhook-error.js';
export { connectionsOf, runServeCommand, SERVE_USAGE, type ServeIo } from './serve-command.js';
