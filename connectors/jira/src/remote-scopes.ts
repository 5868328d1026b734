import type { ApiClient, RemoteScopePage, RemoteScopeRequest } from '@lake/sdk';

const BOARD_PAGE_SIZE = 50;

interface Project {
  key: string;
  name: string;
}

interface BoardPage {
  startAt: number;
  isLast?: boolean;
  total?: number;
  values: Array<{ id: number; name: string; type?: string }>;
}

/**
 * Groups are the projects the user can browse (`/rest/api/2/project`, one answer); a group's
 * scopes are its agile boards (`/rest/agile/1.0/board?projectKeyOrId=`), paged by `startAt`:
 * the page token is the next `startAt`.
 */
export async function listJiraScopes(
  api: ApiClient,
  request: RemoteScopeRequest,
): Promise<RemoteScopePage<{ boardId: number; name?: string }>> {
  if (request.groupId === undefined) {
    const projects = (await api.get<Project[]>('/rest/api/2/project')).body;
    return {
      entries: projects.map((project) => ({
        kind: 'group' as const,
        id: project.key,
        name: `${project.name} (${project.key})`,
      })),
    };
  }
  const startAt = request.pageToken ? Number(request.pageToken) : 0;
  const { body } = await api.get<BoardPage>('/rest/agile/1.0/board', {
    searchParams: { projectKeyOrId: request.groupId, startAt, maxResults: BOARD_PAGE_SIZE },
  });
  const next = startAt + body.values.length;
  const last = body.isLast ?? (body.total === undefined ? body.values.length === 0 : next >= body.total);
  return {
    entries: body.values.map((board) => ({
      kind: 'scope' as const,
      id: String(board.id),
      name: board.name,
      scope: { boardId: board.id, name: board.name },
    })),
    ...(last || body.values.length === 0 ? {} : { nextPageToken: String(next) }),
  };
}
