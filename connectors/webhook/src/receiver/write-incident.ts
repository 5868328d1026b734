import type { Store } from '@lake/sdk';
import { domainShape } from '@lake/sdk/store';
import { provenanceOf, type WebhookIds } from '../domain-ids.js';
import type { IncidentPayload } from './incident-payload.js';
import type { WriteOutcome } from './write-deployment.js';

/**
 * Writes one incident in one transaction, as DevLake's webhook does and as the DORA metric reads
 * it: an `issues` row of type INCIDENT on the connection's board (`board_issues`), and the
 * `incidents` row the metric would derive from it (same id, table `boards`). Posting the same id
 * again replaces both.
 */
export async function writeIncident(
  store: Store,
  ids: WebhookIds,
  incident: IncidentPayload,
  received: Date,
): Promise<WriteOutcome> {
  const id = ids.incident(incident.id);
  const status = incident.status ?? (incident.resolvedDate ? 'DONE' : 'TODO');
  const leadTimeMinutes = incident.resolvedDate
    ? Math.round((incident.resolvedDate.getTime() - incident.createdDate.getTime()) / 60_000)
    : null;
  const provenance = provenanceOf(ids.connectionId, received);
  const common = {
    url: incident.url ?? '',
    title: incident.title,
    description: incident.description ?? '',
    status,
    original_status: incident.originalStatus ?? status,
    resolution_date: incident.resolvedDate ?? null,
    created_date: incident.createdDate,
    updated_date: incident.updatedDate ?? incident.resolvedDate ?? incident.createdDate,
    lead_time_minutes: leadTimeMinutes,
    original_estimate_minutes: null,
    time_spent_minutes: null,
    time_remaining_minutes: null,
    creator_id: '',
    creator_name: incident.creatorName ?? '',
    assignee_id: '',
    assignee_name: incident.assigneeName ?? '',
    priority: incident.priority ?? '',
    severity: incident.severity ?? '',
    urgency: incident.urgency ?? '',
    component: incident.component ?? '',
    original_project: '',
  };
  return store.transaction(async (writer) => {
    const existing = await writer.db.selectFrom('issues').select('id').where('id', '=', id).executeTakeFirst();
    await writer.upsert(domainShape('issues'), [
      {
        ...provenance,
        ...common,
        id,
        issue_key: incident.id,
        type: 'INCIDENT',
        original_type: 'INCIDENT',
        story_point: null,
        due_date: null,
        is_subtask: false,
      },
    ]);
    await writer.upsert(domainShape('board_issues'), [{ ...provenance, board_id: ids.scope, issue_id: id }]);
    await writer.upsert(domainShape('incidents'), [
      { ...provenance, ...common, id, incident_key: incident.id, table: 'boards', scope_id: ids.scope },
    ]);
    return { id, created: existing === undefined };
  });
}

/**
 * Marks a posted incident resolved. Returns undefined when the connection has no incident with
 * this id (nothing is written then).
 */
export async function closeIncident(
  store: Store,
  ids: WebhookIds,
  callerId: string,
  resolvedDate: Date,
): Promise<WriteOutcome | undefined> {
  const id = ids.incident(callerId);
  return store.transaction(async (writer) => {
    const issue = await writer.db.selectFrom('issues').selectAll().where('id', '=', id).executeTakeFirst();
    if (issue === undefined) return undefined;
    const incident = await writer.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    const created = new Date(issue.created_date as string | Date);
    const changes = {
      status: 'DONE',
      resolution_date: resolvedDate,
      updated_date: resolvedDate,
      lead_time_minutes: Math.max(0, Math.round((resolvedDate.getTime() - created.getTime()) / 60_000)),
      updated_at: resolvedDate,
    };
    // Rows as read, changed and written back through the writer, which converts every value for its dialect.
    await writer.upsert(domainShape('issues'), [{ ...issue, ...changes }]);
    if (incident) await writer.upsert(domainShape('incidents'), [{ ...incident, ...changes }]);
    return { id, created: false };
  });
}
