import type { Store } from '@lake/sdk';
import { projectScopeIds } from '../project-scopes.js';
import { rawOriginOf } from '../provenance.js';
import type { StepOptions, StepOutcome } from '../step-outcome.js';
import { domainTableShape } from '../tables.js';
import { chunks, compareText, textOf } from '../values.js';

/** Issue columns an incident copies under the same name. */
const COPIED = [
  'url',
  'title',
  'description',
  'status',
  'original_status',
  'resolution_date',
  'created_date',
  'updated_date',
  'lead_time_minutes',
  'original_estimate_minutes',
  'time_spent_minutes',
  'time_remaining_minutes',
  'creator_id',
  'creator_name',
  'priority',
  'severity',
  'urgency',
  'component',
  'original_project',
  'assignee_id',
  'assignee_name',
  'created_at',
  'updated_at',
] as const;

/**
 * Step `incidents`: every issue of type INCIDENT on a board of the project becomes an
 * `incidents` row (same id, `table` = 'boards', `scope_id` = the board; an issue on two of the
 * project's boards takes the greater board id), with one `incident_assignees` row for its own
 * assignee (even '') and one per `issue_assignees` row. The rows of those issues are rebuilt.
 */
export async function incidentsStep(store: Store, { projectName }: StepOptions): Promise<StepOutcome> {
  return store.transaction(async (writer) => {
    const boardIds = await projectScopeIds(writer.db, projectName, 'boards');
    const incidents = new Map<string, Record<string, unknown>>();
    for (const boards of chunks(boardIds)) {
      const issues = await writer.db
        .selectFrom('issues')
        .innerJoin('board_issues', 'board_issues.issue_id', 'issues.id')
        .selectAll('issues')
        .select('board_issues.board_id as board_id')
        .where('issues.type', '=', 'INCIDENT')
        .where('board_issues.board_id', 'in', boards)
        .execute();
      for (const issue of issues) {
        const current = incidents.get(String(issue.id));
        if (!current || compareText(String(issue.board_id), String(current.scope_id)) > 0)
          incidents.set(String(issue.id), incidentOf(issue));
      }
    }
    const ids = [...incidents.keys()].sort(compareText);
    let deletedIncidents = 0;
    let deletedAssignees = 0;
    const assignees: Record<string, unknown>[] = [];
    for (const slice of chunks(ids)) {
      deletedIncidents += Number(
        (await writer.db.deleteFrom('incidents').where('id', 'in', slice).executeTakeFirst()).numDeletedRows,
      );
      deletedAssignees += Number(
        (await writer.db.deleteFrom('incident_assignees').where('incident_id', 'in', slice).executeTakeFirst())
          .numDeletedRows,
      );
      assignees.push(...(await assigneesOf(writer.db, slice, incidents)));
    }
    await writer.upsert(
      domainTableShape('incidents'),
      ids.map((id) => incidents.get(id)!),
    );
    await writer.upsert(domainTableShape('incident_assignees'), assignees);
    return {
      written: { incidents: ids.length, incident_assignees: assignees.length },
      deleted: { incidents: deletedIncidents, incident_assignees: deletedAssignees },
    };
  });
}

function incidentOf(issue: Record<string, unknown>): Record<string, unknown> {
  const incident: Record<string, unknown> = { id: issue.id, ...rawOriginOf(issue) };
  for (const name of COPIED) incident[name] = issue[name];
  incident.incident_key = issue.issue_key;
  incident.parent_incident_id = issue.parent_issue_id;
  // varchar(255) here, text on the issue.
  incident.component = textOf(issue.component).slice(0, 255);
  incident.table = 'boards';
  incident.scope_id = issue.board_id;
  return incident;
}

/** The assignee rows of `ids`: the issue's own assignee, then its `issue_assignees` rows (a repeat collapses on the key). */
async function assigneesOf(
  db: Store['db'],
  ids: string[],
  incidents: ReadonlyMap<string, Record<string, unknown>>,
): Promise<Record<string, unknown>[]> {
  const rows = new Map<string, Record<string, unknown>>();
  const add = (incident: Record<string, unknown>, assigneeId: string, assigneeName: string) => {
    rows.set(`${String(incident.id)}\u0000${assigneeId}`, {
      incident_id: incident.id,
      assignee_id: assigneeId,
      assignee_name: assigneeName,
      ...rawOriginOf(incident),
      created_at: incident.created_at,
      updated_at: incident.updated_at,
    });
  };
  for (const id of ids) {
    const incident = incidents.get(id)!;
    add(incident, textOf(incident.assignee_id), textOf(incident.assignee_name));
  }
  const listed = await db
    .selectFrom('issue_assignees')
    .select(['issue_id', 'assignee_id', 'assignee_name'])
    .where('issue_id', 'in', ids)
    .orderBy('issue_id')
    .orderBy('assignee_id')
    .execute();
  for (const row of listed)
    add(incidents.get(String(row.issue_id))!, textOf(row.assignee_id), textOf(row.assignee_name));
  return [...rows.values()];
}
