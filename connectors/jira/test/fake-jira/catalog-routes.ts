import type { FakeRequest, FakeResponse } from '@lake/testkit/fake-api';

type Route = (path: string, handler: (request: FakeRequest) => FakeResponse) => unknown;

/** The site's statuses, with the ids the dataset's changelog items name (`from`, `to`). */
export const FAKE_STATUSES = [
  { id: '10000', name: 'To Do', category: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' } },
  { id: '3', name: 'In Progress', category: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' } },
  {
    id: '10100',
    name: 'In Review',
    category: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  },
  { id: '10001', name: 'Done', category: { id: 3, key: 'done', colorName: 'green', name: 'Done' } },
] as const;

/** The site's issue types: the dataset's four, an epic and a sub-task. */
export const FAKE_ISSUE_TYPES = [
  { id: '10000', name: 'Epic', subtask: false, hierarchyLevel: 1 },
  { id: '10001', name: 'Story', subtask: false, hierarchyLevel: 0 },
  { id: '10002', name: 'Task', subtask: false, hierarchyLevel: 0 },
  { id: '10003', name: 'Sub-task', subtask: true, hierarchyLevel: -1 },
  { id: '10004', name: 'Bug', subtask: false, hierarchyLevel: 0 },
  { id: '10010', name: 'Incident', subtask: false, hierarchyLevel: 0 },
] as const;

/** `/rest/api/{2,3}/issuetype` and `/rest/api/{2,3}/status`: unpaged arrays, as Jira answers them. */
export function addCatalogRoutes(route: Route, baseUrl: string): void {
  route('/rest/api/:version/issuetype', (request) => ({
    body: FAKE_ISSUE_TYPES.map((type) => ({
      self: `${baseUrl}/rest/api/${request.params.version}/issuetype/${type.id}`,
      id: type.id,
      description: `A ${type.name.toLowerCase()}`,
      iconUrl: `${baseUrl}/images/${type.name.toLowerCase()}.svg`,
      name: type.name,
      untranslatedName: type.name,
      subtask: type.subtask,
      hierarchyLevel: type.hierarchyLevel,
    })),
  }));
  route('/rest/api/:version/status', (request) => ({
    body: FAKE_STATUSES.map((status) => ({
      self: `${baseUrl}/rest/api/${request.params.version}/status/${status.id}`,
      description: '',
      iconUrl: `${baseUrl}/images/icons/statuses/generic.png`,
      name: status.name,
      untranslatedName: status.name,
      id: status.id,
      statusCategory: {
        self: `${baseUrl}/rest/api/${request.params.version}/statuscategory/${status.category.id}`,
        ...status.category,
      },
    })),
  }));
}
