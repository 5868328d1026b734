/** The parts of Jira's REST payloads the streams read. */

export interface JiraUser {
  accountId?: string;
  key?: string;
  name?: string;
  displayName?: string;
  emailAddress?: string;
  avatarUrls?: Record<string, string>;
  active?: boolean;
}

export interface JiraChangelogItem {
  field?: string;
  fieldtype?: string;
  fieldId?: string;
  from?: string | null;
  fromString?: string | null;
  to?: string | null;
  // `toString` (the new value's text) is read by name: declared here it would clash with Object's.
}

export interface JiraHistory {
  id?: string;
  author?: JiraUser;
  created?: string;
  items?: JiraChangelogItem[];
}

export interface JiraIssueFields {
  [field: string]: unknown;
  summary?: string;
  description?: unknown;
  issuetype?: { name?: string; iconUrl?: string; subtask?: boolean };
  status?: { name?: string; statusCategory?: { key?: string } };
  priority?: { name?: string } | null;
  project?: { key?: string };
  reporter?: JiraUser | null;
  creator?: JiraUser | null;
  assignee?: JiraUser | null;
  parent?: { id?: string; key?: string };
  labels?: string[];
  components?: Array<{ name: string }>;
  fixVersions?: Array<{ name: string }>;
  created?: string;
  updated?: string;
  resolutiondate?: string | null;
  timeoriginalestimate?: number | null;
  timespent?: number | null;
  timeestimate?: number | null;
  sprint?: { id: number } | null;
  closedSprints?: Array<{ id: number }>;
  comment?: { total?: number };
  worklog?: { total?: number };
}

export interface JiraIssue {
  id: string;
  key: string;
  self?: string;
  fields?: JiraIssueFields;
  changelog?: { startAt?: number; maxResults?: number; total?: number; histories?: JiraHistory[] };
}
