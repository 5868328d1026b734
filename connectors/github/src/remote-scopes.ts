import { type ApiClient, linkHeader, paginate, type RemoteScopePage, type RemoteScopeRequest } from '@lake/sdk';

const PAGE_SIZE = 100;

interface Owner {
  login: string;
}

interface Repository {
  full_name: string;
}

/**
 * Groups are the authenticated user and their organisations; a group's scopes are its
 * repositories. Pages follow GitHub's: the page token is the next page number.
 */
export async function listGithubScopes(
  api: ApiClient,
  request: RemoteScopeRequest,
): Promise<RemoteScopePage<{ fullName: string }>> {
  const page = request.pageToken ? Number(request.pageToken) : 1;
  if (request.groupId === undefined) {
    const user = page === 1 ? (await api.get<Owner>('/user')).body : undefined;
    const organisations = await onePage<Owner>(api, '/user/orgs', page);
    return {
      entries: [
        ...(user ? [{ kind: 'group' as const, id: user.login, name: `${user.login} (you)` }] : []),
        ...organisations.items.map((organisation) => ({
          kind: 'group' as const,
          id: organisation.login,
          name: organisation.login,
        })),
      ],
      ...(organisations.more ? { nextPageToken: String(page + 1) } : {}),
    };
  }
  const user = (await api.get<Owner>('/user')).body;
  const path = request.groupId === user.login ? '/user/repos' : `/orgs/${encodeURIComponent(request.groupId)}/repos`;
  const repositories = await onePage<Repository>(
    api,
    path,
    page,
    request.groupId === user.login ? { affiliation: 'owner' } : {},
  );
  return {
    entries: repositories.items.map((repository) => ({
      kind: 'scope' as const,
      id: repository.full_name,
      name: repository.full_name,
      scope: { fullName: repository.full_name },
    })),
    ...(repositories.more ? { nextPageToken: String(page + 1) } : {}),
  };
}

async function onePage<T>(api: ApiClient, path: string, page: number, parameters: Record<string, string> = {}) {
  const request = { path, searchParams: { ...parameters, per_page: PAGE_SIZE, page } };
  for await (const result of paginate<T>(api, request, linkHeader()))
    return { items: result.items, more: result.next !== undefined };
  return { items: [] as T[], more: false };
}
