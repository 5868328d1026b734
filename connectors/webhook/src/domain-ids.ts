import { createHash } from 'node:crypto';
import { createDomainIds } from '@lake/sdk';
import { WEBHOOK_SCOPE_ID } from './settings.js';

/**
 * The domain ids a webhook connection writes, in DevLake's `<plugin>:<Struct>:<connection>:<key>`
 * form. The connection is the scope: one cicd scope and one board, both
 * `webhook:WebhookConnection:<connection id>:webhook`. Deployments and incidents are keyed by the id the
 * caller gave, so that a retried POST lands on the same rows.
 */
export interface WebhookIds {
  readonly connectionId: number;
  /** `cicd_scopes.id` and `boards.id`. */
  readonly scope: string;
  deployment(callerId: string): string;
  /** One row per repository of a deployment: the repository URL is hashed to keep the id short and stable. */
  deploymentCommit(callerId: string, repoUrl: string): string;
  incident(callerId: string): string;
}

export function webhookIds(connectionId: number): WebhookIds {
  const ids = createDomainIds('webhook', connectionId);
  return {
    connectionId,
    scope: ids.of('WebhookConnection', WEBHOOK_SCOPE_ID),
    deployment: (callerId) => ids.of('WebhookDeployment', callerId),
    deploymentCommit: (callerId, repoUrl) => ids.of('WebhookDeploymentCommit', callerId, repositoryKey(repoUrl)),
    incident: (callerId) => ids.of('WebhookIssue', callerId),
  };
}

/** 16 hex digits of the URL's SHA-256: distinct for every repository a deployment can list. */
function repositoryKey(repoUrl: string): string {
  return createHash('sha256').update(repoUrl).digest('hex').slice(0, 16);
}

/**
 * The provenance columns of every row the receiver writes: `_raw_data_params` as DevLake's
 * webhook plugin writes it, `_raw_data_table` 'webhook' (there is no raw table: a POST is
 * written straight to the domain layer, as in DevLake).
 */
export function provenanceOf(connectionId: number, received: Date) {
  return {
    created_at: received,
    updated_at: received,
    _raw_data_params: JSON.stringify({ ConnectionId: connectionId }),
    _raw_data_table: 'webhook',
    _raw_data_id: 0,
    _raw_data_remark: '',
  };
}
