/** The fake Jira's records, in its own terms (epoch ms, ids as numbers); rendered as JSON per request. */

export interface FakeUser {
  accountId: string;
  key: string;
  displayName: string;
  email: string;
}

export interface FakeChangeItem {
  field?: string;
  fieldId?: string;
  from: string;
  fromString: string;
  to: string;
  toString: string;
}

export interface FakeHistory {
  id: number;
  authorId: string;
  at: number;
  items: FakeChangeItem[];
}

export interface FakeComment {
  id: number;
  authorId: string;
  text: string;
  created: number;
  updated: number;
}

export interface FakeWorklog {
  id: number;
  authorId: string;
  text: string;
  started: number;
  created: number;
  seconds: number;
}

export type IssueTypeName = 'Story' | 'Bug' | 'Incident' | 'Task';
export type StatusCategory = 'new' | 'indeterminate' | 'done';

export interface FakeIssue {
  id: number;
  key: string;
  summary: string;
  type: IssueTypeName;
  category: StatusCategory;
  created: number;
  updated: number;
  resolved: number | null;
  reporterId: string;
  assigneeId: string | null;
  labels: string[];
  storyPoints: number | null;
  activeSprintId: number | null;
  closedSprintIds: number[];
  histories: FakeHistory[];
  comments: FakeComment[];
  worklogs: FakeWorklog[];
}

export interface FakeSprint {
  id: number;
  name: string;
  state: 'closed' | 'active' | 'future';
  start: number | null;
  end: number | null;
  complete: number | null;
}

export interface JiraDataset {
  users: FakeUser[];
  sprints: FakeSprint[];
  issues: FakeIssue[];
  /** Next ids for records added later. */
  sequence: { issue: number; history: number; comment: number; worklog: number };
}

export interface DatasetOptions {
  issues: number;
  /** Histories per issue, one status change each. Default 2. */
  historiesPerIssue?: number;
  /** Items Jira can send that cannot become domain rows (no field), and a field changed twice in one history. Default true. */
  quirks?: boolean;
  /** Comments and worklogs on some issues. Default true. */
  activity?: boolean;
  /** Every `every`-th issue has `histories` histories: more than the 100 a search returns inline. Default none. */
  longChangelogs?: { every: number; histories: number };
}

/** Saturday 28 March 2026, 20:00 UTC: the issues' creation times cross Berlin's spring-forward night. */
export const DATASET_START = Date.UTC(2026, 2, 28, 20, 0, 0);
const TYPES: IssueTypeName[] = ['Story', 'Bug', 'Incident', 'Task'];
const CATEGORIES: StatusCategory[] = ['new', 'indeterminate', 'done'];
export const STATUS_NAMES: Record<StatusCategory, string> = {
  new: 'To Do',
  indeterminate: 'In Progress',
  done: 'Done',
};
const DAY = 86_400_000;

export function jiraDataset(options: DatasetOptions): JiraDataset {
  const users: FakeUser[] = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov'].map(
    (displayName, index) => ({
      accountId: `5b10ac8d82e05b22cc7d4e${String(index).padStart(2, '0')}`,
      key: `JIRAUSER${10100 + index}`,
      displayName,
      email: `${displayName.split(' ')[0]!.toLowerCase()}@example.com`,
    }),
  );
  const sprint = (id: number, state: FakeSprint['state'], fromDay: number): FakeSprint => ({
    id,
    name: `CORE Sprint ${id}`,
    state,
    start: DATASET_START + fromDay * DAY,
    end: DATASET_START + (fromDay + 14) * DAY,
    complete: state === 'closed' ? DATASET_START + (fromDay + 14) * DAY : null,
  });
  const dataset: JiraDataset = {
    users,
    sprints: [sprint(1, 'closed', -28), sprint(2, 'closed', -14), sprint(3, 'active', 0)],
    issues: [],
    sequence: { issue: 10_001, history: 50_001, comment: 70_001, worklog: 90_001 },
  };
  for (let index = 0; index < options.issues; index += 1) addIssue(dataset, index, options);
  return dataset;
}

function historiesOf(
  dataset: JiraDataset,
  index: number,
  created: number,
  authorId: string,
  options: Pick<DatasetOptions, 'historiesPerIssue' | 'quirks' | 'longChangelogs'>,
): FakeHistory[] {
  const histories: FakeHistory[] = [];
  const history = (at: number, items: FakeChangeItem[]) =>
    histories.push({ id: dataset.sequence.history++, authorId, at, items });
  const long = options.longChangelogs;
  const count = long && index % long.every === long.every - 1 ? long.histories : (options.historiesPerIssue ?? 2);
  for (let step = 0; step < count; step += 1) {
    history(created + (step + 1) * 10_000, [
      { field: 'status', fieldId: 'status', from: '10000', fromString: 'To Do', to: '3', toString: 'In Progress' },
    ]);
  }
  if (options.quirks === false) return histories;
  // Jira sends items without a field name (a deleted custom field): kept, counted as skipped.
  if (index % 17 === 5) history(created + 50_000, [{ from: '', fromString: '', to: 'x', toString: 'x' }]);
  // Two links added in one change: the same field twice in one history.
  if (index % 23 === 7) {
    history(created + 60_000, [
      { field: 'Link', from: '', fromString: '', to: 'CORE-1', toString: 'This issue blocks CORE-1' },
      { field: 'Link', from: '', fromString: '', to: 'CORE-2', toString: 'This issue blocks CORE-2' },
    ]);
  }
  return histories;
}

/** Adds the `index`-th issue (created 7 minutes and some seconds after the previous one, or at `at`). */
export function addIssue(
  dataset: JiraDataset,
  index: number,
  options: Pick<DatasetOptions, 'historiesPerIssue' | 'quirks' | 'activity' | 'longChangelogs'>,
  at?: number,
): FakeIssue {
  const { users } = dataset;
  const id = dataset.sequence.issue++;
  const created = at ?? DATASET_START + index * 7 * 60_000 + (index % 60) * 1000;
  const category = CATEGORIES[index % 3]!;
  const reporter = users[index % users.length]!;
  const assignee = index % 3 === 0 ? null : users[(index + 1) % users.length]!;
  const activity = options.activity !== false;
  const comments: FakeComment[] =
    activity && index % 3 === 1
      ? [0, 1].map((offset) => ({
          id: dataset.sequence.comment++,
          authorId: users[(index + offset) % users.length]!.accountId,
          text: `Comment ${offset + 1} on issue ${index + 1}`,
          created: created + 20_000 + offset,
          updated: created + 20_000 + offset,
        }))
      : [];
  const worklogs: FakeWorklog[] =
    activity && index % 4 === 2
      ? [
          {
            id: dataset.sequence.worklog++,
            authorId: reporter.accountId,
            text: 'Investigated',
            started: created,
            created: created + 30_000,
            seconds: 5400,
          },
        ]
      : [];
  const sprint = index % 4 === 0 ? null : (index % 3) + 1;
  const issue: FakeIssue = {
    id,
    key: `CORE-${id - 10_000}`,
    summary: `Issue ${index + 1}`,
    type: TYPES[index % TYPES.length]!,
    category,
    created,
    updated: at ?? created + 90_000 + (index % 7) * 13_000,
    resolved: category === 'done' ? created + 3_600_000 + index * 1000 : null,
    reporterId: reporter.accountId,
    assigneeId: assignee?.accountId ?? null,
    labels: index % 5 === 0 ? [] : index % 5 === 1 ? ['backend'] : ['backend', `team-${index % 3}`],
    storyPoints: index % 6 === 0 ? null : (index % 8) + 1,
    activeSprintId: sprint === 3 ? 3 : null,
    closedSprintIds: sprint === null ? [] : sprint === 3 ? [2] : [sprint],
    histories: historiesOf(dataset, index, created, reporter.accountId, options),
    comments,
    worklogs,
  };
  dataset.issues.push(issue);
  return issue;
}

/** Domain rows a sync of the dataset must write, counted from the dataset itself. */
export function expectedDomainCounts(dataset: JiraDataset): Record<string, number> {
  const { issues } = dataset;
  const sum = (count: (issue: FakeIssue) => number) => issues.reduce((total, issue) => total + count(issue), 0);
  const accounts = new Set(
    issues.flatMap((issue) => [issue.reporterId, ...(issue.assigneeId ? [issue.assigneeId] : [])]),
  );
  return {
    boards: 1,
    issues: issues.length,
    board_issues: issues.length,
    issue_labels: sum((issue) => issue.labels.length),
    issue_changelogs: sum((issue) =>
      issue.histories.reduce((total, history) => total + history.items.filter((item) => item.field).length, 0),
    ),
    issue_comments: sum((issue) => issue.comments.length),
    issue_worklogs: sum((issue) => issue.worklogs.length),
    sprints: dataset.sprints.length,
    board_sprints: dataset.sprints.length,
    sprint_issues: sum((issue) => issue.closedSprintIds.length + (issue.activeSprintId === null ? 0 : 1)),
    accounts: accounts.size,
  };
}
