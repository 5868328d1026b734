/**
 * The shared domain layer, column-compatible with Apache DevLake (see docs/domain-schema.md
 * at the repository root for the source of each fact). Every table also carries the six
 * provenance columns of `PROVENANCE_COLUMNS`, added by the migrations and filled by the writer.
 *
 * This declaration drives the domain migrations, the writer's defaults and upsert keys, and
 * the row types connectors write (`DomainRow<'issues'>`).
 */
import { type ColumnSpec, column, indexed, key, nullable, type RowInput } from './columns.js';

/** DevLake's domain types, as a connector declares them. */
export type DomainType = 'CROSS' | 'CODE' | 'CODEREVIEW' | 'TICKET' | 'CICD';

export interface DomainTableSpec {
  readonly domain: DomainType;
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  /**
   * The SDK migration that created the table, when a later one than `0002-domain-tables` (the
   * first release): each migration creates the tables that name it, so that a lake migrated
   * before a table was declared gets it from its own migration, and a new lake the same way.
   */
  readonly addedIn?: string;
}

const { varchar, text, bigint, float, bool, datetime } = column;
const id = (length = 255) => key(varchar(length));

/** Provenance columns present in every domain and tool table (DevLake's NoPKModel + RawDataOrigin). */
export const PROVENANCE_COLUMNS = {
  created_at: datetime(),
  updated_at: datetime(),
  _raw_data_params: indexed(varchar(255)),
  _raw_data_table: varchar(255),
  _raw_data_id: bigint(),
  _raw_data_remark: text(),
} as const;

const taskDates = {
  created_date: datetime(),
  queued_date: nullable(datetime()),
  started_date: nullable(datetime()),
  finished_date: nullable(datetime()),
} as const;

export const DOMAIN_TABLES = {
  // ── crossdomain ────────────────────────────────────────────────────────────
  accounts: {
    domain: 'CROSS',
    columns: {
      id: id(),
      email: varchar(),
      full_name: varchar(),
      user_name: varchar(),
      avatar_url: varchar(),
      organization: varchar(),
      created_date: nullable(datetime()),
      status: bigint(),
    },
  },
  users: { domain: 'CROSS', columns: { id: id(), email: varchar(), name: varchar() } },
  user_accounts: { domain: 'CROSS', columns: { user_id: varchar(), account_id: id() } },
  teams: {
    domain: 'CROSS',
    columns: { id: id(), name: varchar(), alias: varchar(), parent_id: varchar(), sorting_index: bigint() },
  },
  team_users: { domain: 'CROSS', columns: { team_id: id(), user_id: id() } },
  pull_request_issues: {
    domain: 'CROSS',
    columns: { pull_request_id: id(), issue_id: id(), pull_request_key: bigint(), issue_key: varchar() },
  },
  board_repos: { domain: 'CROSS', columns: { board_id: id(), repo_id: id() } },
  issue_commits: { domain: 'CROSS', columns: { issue_id: id(), commit_sha: id() } },
  project_mapping: { domain: 'CROSS', columns: { project_name: id(), table: id(), row_id: id() } },
  projects: { domain: 'CROSS', columns: { name: id(), description: text() } },

  // ── code ───────────────────────────────────────────────────────────────────
  repos: {
    domain: 'CODE',
    columns: {
      id: id(),
      name: text(),
      url: text(),
      description: text(),
      owner_id: varchar(),
      language: varchar(),
      forked_from: text(),
      created_date: nullable(datetime()),
      updated_date: nullable(datetime()),
      deleted: bool(),
    },
  },
  repo_commits: { domain: 'CODE', columns: { repo_id: id(), commit_sha: id(40) } },
  commits: {
    domain: 'CODE',
    columns: {
      sha: id(40),
      additions: bigint(),
      deletions: bigint(),
      dev_eq: bigint(),
      message: text(),
      author_name: varchar(),
      author_email: varchar(),
      authored_date: datetime(),
      author_id: varchar(),
      committer_name: varchar(),
      committer_email: varchar(),
      committed_date: datetime(),
      committer_id: indexed(varchar()),
    },
  },
  commit_parents: { domain: 'CODE', columns: { commit_sha: id(40), parent_commit_sha: id(40) } },
  commit_files: {
    domain: 'CODE',
    columns: {
      id: id(),
      commit_sha: indexed(varchar(40)),
      file_path: text(),
      additions: bigint(),
      deletions: bigint(),
    },
  },
  refs: {
    domain: 'CODE',
    columns: {
      id: id(500),
      repo_id: varchar(),
      name: varchar(),
      commit_sha: varchar(40),
      is_default: bool(),
      ref_type: varchar(),
      created_date: nullable(datetime()),
    },
  },
  pull_requests: {
    domain: 'CODEREVIEW',
    columns: {
      id: id(),
      base_repo_id: indexed(varchar()),
      head_repo_id: indexed(varchar()),
      status: varchar(100),
      original_status: varchar(100),
      title: text(),
      description: text(),
      url: varchar(),
      author_name: varchar(100),
      author_id: varchar(100),
      merged_by_name: varchar(100),
      merged_by_id: varchar(100),
      parent_pr_id: indexed(varchar(100)),
      pull_request_key: bigint(),
      created_date: datetime(),
      merged_date: nullable(datetime()),
      closed_date: nullable(datetime()),
      type: varchar(100),
      component: varchar(100),
      merge_commit_sha: varchar(40),
      head_ref: varchar(),
      base_ref: varchar(),
      base_commit_sha: varchar(40),
      head_commit_sha: varchar(40),
      additions: bigint(),
      deletions: bigint(),
      is_draft: bool(),
    },
  },
  pull_request_commits: {
    domain: 'CODEREVIEW',
    columns: {
      pull_request_id: id(),
      commit_sha: id(40),
      commit_author_name: varchar(),
      commit_author_email: varchar(),
      commit_authored_date: datetime(),
    },
  },
  pull_request_comments: {
    domain: 'CODEREVIEW',
    columns: {
      id: id(),
      pull_request_id: indexed(varchar()),
      body: text(),
      account_id: varchar(),
      created_date: datetime(),
      commit_sha: varchar(),
      type: varchar(),
      review_id: varchar(),
      status: varchar(),
    },
  },
  pull_request_labels: { domain: 'CODEREVIEW', columns: { pull_request_id: id(), label_name: id() } },
  pull_request_assignees: {
    domain: 'CODEREVIEW',
    columns: { pull_request_id: id(), assignee_id: id(), name: varchar(), user_name: varchar() },
  },
  pull_request_reviewers: {
    domain: 'CODEREVIEW',
    columns: { pull_request_id: id(), reviewer_id: id(), name: varchar(), user_name: varchar() },
  },

  // ── ticket ─────────────────────────────────────────────────────────────────
  boards: {
    domain: 'TICKET',
    columns: {
      id: id(),
      name: varchar(),
      description: text(),
      url: varchar(),
      created_date: nullable(datetime()),
      type: varchar(),
    },
  },
  board_issues: { domain: 'TICKET', columns: { board_id: id(), issue_id: id() } },
  issues: {
    domain: 'TICKET',
    columns: {
      id: id(),
      url: varchar(),
      icon_url: varchar(),
      issue_key: varchar(),
      title: text(),
      description: text(),
      epic_key: varchar(),
      type: varchar(100),
      original_type: varchar(500),
      status: varchar(100),
      original_status: varchar(100),
      story_point: nullable(float()),
      resolution_date: nullable(datetime()),
      created_date: nullable(datetime()),
      updated_date: nullable(datetime()),
      lead_time_minutes: nullable(bigint()),
      original_estimate_minutes: nullable(bigint()),
      time_spent_minutes: nullable(bigint()),
      time_remaining_minutes: nullable(bigint()),
      creator_id: varchar(),
      creator_name: varchar(),
      assignee_id: varchar(),
      assignee_name: varchar(),
      parent_issue_id: varchar(),
      priority: varchar(),
      severity: varchar(),
      urgency: varchar(),
      component: text(),
      original_project: varchar(),
      is_subtask: bool(),
      due_date: nullable(datetime()),
      fix_versions: text(),
    },
  },
  issue_comments: {
    domain: 'TICKET',
    columns: {
      id: id(),
      issue_id: indexed(varchar()),
      body: text(),
      account_id: varchar(),
      created_date: datetime(),
      updated_date: nullable(datetime()),
    },
  },
  issue_labels: { domain: 'TICKET', columns: { issue_id: id(), label_name: id() } },
  issue_assignees: { domain: 'TICKET', columns: { issue_id: id(), assignee_id: id(), assignee_name: varchar() } },
  issue_changelogs: {
    domain: 'TICKET',
    columns: {
      id: id(),
      issue_id: indexed(varchar()),
      author_id: varchar(),
      author_name: varchar(),
      field_id: varchar(),
      field_name: varchar(),
      original_from_value: text(),
      original_to_value: text(),
      from_value: text(),
      to_value: text(),
      created_date: datetime(),
    },
  },
  issue_worklogs: {
    domain: 'TICKET',
    columns: {
      id: id(),
      author_id: varchar(),
      comment: text(),
      time_spent_minutes: bigint(),
      logged_date: nullable(datetime()),
      started_date: nullable(datetime()),
      issue_id: indexed(varchar()),
    },
  },
  sprints: {
    domain: 'TICKET',
    columns: {
      id: id(),
      name: varchar(),
      url: varchar(),
      status: varchar(100),
      started_date: nullable(datetime()),
      ended_date: nullable(datetime()),
      completed_date: nullable(datetime()),
      original_board_id: varchar(),
    },
  },
  sprint_issues: { domain: 'TICKET', columns: { sprint_id: id(), issue_id: id() } },
  board_sprints: { domain: 'TICKET', columns: { board_id: id(), sprint_id: id() } },

  // ── devops ─────────────────────────────────────────────────────────────────
  cicd_scopes: {
    domain: 'CICD',
    columns: {
      id: id(),
      name: varchar(),
      description: text(),
      url: varchar(),
      created_date: nullable(datetime()),
      updated_date: nullable(datetime()),
    },
  },
  cicd_pipelines: {
    domain: 'CICD',
    columns: {
      id: id(),
      name: varchar(),
      display_title: text(),
      url: text(),
      result: varchar(100),
      status: varchar(100),
      original_status: varchar(100),
      original_result: varchar(100),
      type: varchar(100),
      duration_sec: float(),
      queued_duration_sec: nullable(float()),
      environment: varchar(),
      ...taskDates,
      cicd_scope_id: indexed(varchar()),
      is_child: bool(),
    },
  },
  cicd_pipeline_commits: {
    domain: 'CICD',
    columns: {
      pipeline_id: id(),
      commit_sha: id(),
      commit_msg: text(),
      display_title: text(),
      url: text(),
      branch: varchar(),
      repo_id: indexed(varchar()),
      repo_url: text(),
    },
  },
  cicd_tasks: {
    domain: 'CICD',
    columns: {
      id: id(),
      name: varchar(),
      pipeline_id: indexed(varchar()),
      result: varchar(100),
      status: varchar(100),
      original_status: varchar(100),
      original_result: varchar(100),
      type: varchar(100),
      environment: varchar(),
      duration_sec: float(),
      queued_duration_sec: nullable(float()),
      ...taskDates,
      cicd_scope_id: indexed(varchar()),
    },
  },
  cicd_deployments: {
    domain: 'CICD',
    columns: {
      id: id(),
      cicd_scope_id: indexed(varchar()),
      name: text(),
      display_title: text(),
      url: text(),
      result: varchar(100),
      status: varchar(100),
      original_status: varchar(100),
      original_result: varchar(100),
      environment: varchar(),
      original_environment: varchar(),
      ...taskDates,
      duration_sec: nullable(float()),
      queued_duration_sec: nullable(float()),
      subtask_name: varchar(),
    },
  },
  cicd_deployment_commits: {
    domain: 'CICD',
    columns: {
      id: id(),
      cicd_scope_id: indexed(varchar()),
      cicd_deployment_id: varchar(),
      name: varchar(),
      display_title: text(),
      url: text(),
      result: varchar(100),
      status: varchar(100),
      original_status: varchar(100),
      original_result: varchar(100),
      environment: varchar(),
      original_environment: varchar(),
      ...taskDates,
      duration_sec: nullable(float()),
      queued_duration_sec: nullable(float()),
      commit_sha: id(),
      commit_msg: text(),
      ref_name: varchar(),
      repo_id: varchar(),
      repo_url: indexed(varchar(500)),
      prev_success_deployment_commit_id: varchar(),
      subtask_name: varchar(),
    },
  },
  // ── derived by metrics (@lake/metrics-dora; DevLake's dora and refdiff plugins) ──
  incidents: {
    domain: 'TICKET',
    addedIn: '0003-dora-tables',
    columns: {
      id: id(),
      url: varchar(),
      incident_key: varchar(),
      title: text(),
      description: text(),
      status: varchar(100),
      original_status: varchar(100),
      resolution_date: nullable(datetime()),
      created_date: nullable(datetime()),
      updated_date: nullable(datetime()),
      lead_time_minutes: nullable(bigint()),
      original_estimate_minutes: nullable(bigint()),
      time_spent_minutes: nullable(bigint()),
      time_remaining_minutes: nullable(bigint()),
      creator_id: varchar(),
      creator_name: varchar(),
      parent_incident_id: varchar(),
      priority: varchar(),
      severity: varchar(),
      urgency: varchar(),
      component: varchar(),
      original_project: varchar(),
      table: varchar(),
      scope_id: varchar(),
      assignee_id: varchar(),
      assignee_name: varchar(),
    },
  },
  incident_assignees: {
    domain: 'TICKET',
    addedIn: '0003-dora-tables',
    columns: { incident_id: id(), assignee_id: id(), assignee_name: varchar() },
  },
  commits_diffs: {
    domain: 'CODE',
    addedIn: '0003-dora-tables',
    columns: { new_commit_sha: id(40), old_commit_sha: id(40), commit_sha: id(40), sorting_index: bigint() },
  },
  project_pr_metrics: {
    domain: 'CROSS',
    addedIn: '0003-dora-tables',
    columns: {
      id: id(),
      project_name: id(100),
      first_commit_sha: text(),
      pr_coding_time: nullable(bigint()),
      first_review_id: text(),
      pr_pickup_time: nullable(bigint()),
      pr_review_time: nullable(bigint()),
      deployment_commit_id: text(),
      pr_deploy_time: nullable(bigint()),
      pr_cycle_time: nullable(bigint()),
      first_commit_authored_date: nullable(datetime()),
      first_comment_date: nullable(datetime()),
      pr_created_date: nullable(datetime()),
      pr_merged_date: nullable(datetime()),
      pr_deployed_date: nullable(datetime()),
    },
  },
  project_incident_deployment_relationships: {
    domain: 'CROSS',
    addedIn: '0003-dora-tables',
    columns: { id: id(), project_name: id(100), deployment_id: text() },
  },
} as const satisfies Record<string, DomainTableSpec>;

export type DomainTableName = keyof typeof DOMAIN_TABLES;

/** The row a converter yields for a domain table: keys required, the rest optional. */
export type DomainRow<Table extends DomainTableName> = RowInput<(typeof DOMAIN_TABLES)[Table]['columns']>;

/** A converted record: which domain table, and the row. */
export type DomainRecord = { [Table in DomainTableName]: { table: Table; row: DomainRow<Table> } }[DomainTableName];

/**
 * Builds a typed domain record; the editor completes column names per table.
 *
 *   yield domainRecord('commits', { sha, message, author_name: name });
 */
export function domainRecord<Table extends DomainTableName>(table: Table, row: DomainRow<Table>): DomainRecord {
  return { table, row } as DomainRecord;
}

/** The domain tables an SDK migration creates: those naming it in `addedIn`, or, for the first release's, none. */
export function domainTablesAddedIn(migration: string | undefined): DomainTableName[] {
  return (Object.keys(DOMAIN_TABLES) as DomainTableName[]).filter(
    (name) => (DOMAIN_TABLES[name] as DomainTableSpec).addedIn === migration,
  );
}

export function isDomainTable(name: string): name is DomainTableName {
  return Object.hasOwn(DOMAIN_TABLES, name);
}

/** Primary-key columns of a domain table, in declared order. */
export function domainKeyColumns(table: DomainTableName): string[] {
  return Object.entries(DOMAIN_TABLES[table].columns as Record<string, ColumnSpec>)
    .filter(([, spec]) => spec.primaryKey)
    .map(([name]) => name);
}
