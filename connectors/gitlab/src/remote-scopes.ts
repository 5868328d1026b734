import {
  type ApiClient,
  type ApiRequest,
  nextPageHeader,
  paginate,
  parseLinkHeader,
  type RemoteScopePage,
  type RemoteScopeRequest,
} from '@lake/sdk';
import type { GitlabScope } from './settings.js';

const PAGE_SIZE = 100;

interface Group {
  id: number;
  full_path: string;
  name: string;
}

interface Project {
  id: number;
  path_with_namespace: string;
}

/**
 * Groups, then their subgroups and projects. The top-level groups are read with keyset
 * pagination (`pagination=keyset&order_by=name`, the `Link` header's `rel="next"`), which GitLab
 * offers for `/groups`; a group's subgroups and projects with `X-Next-Page`. Page tokens are
 * `keyset:<query of the next link>` (only its query is kept: a token never sends the token to
 * another host), `subgroups:<page>` and `projects:<page>`.
 */
export async function listGitlabScopes(
  api: ApiClient,
  request: RemoteScopeRequest,
): Promise<RemoteScopePage<GitlabScope>> {
  if (request.groupId === undefined) return topLevelGroups(api, request.pageToken);
  const group = `/groups/${encodeURIComponent(request.groupId)}`;
  const [phase, number] = (request.pageToken ?? 'subgroups:1').split(':');
  const page = Math.max(1, Number(number) || 1);
  if (phase === 'subgroups') {
    const subgroups = await numberedPage<Group>(api, { path: `${group}/subgroups`, searchParams: {} }, page);
    return {
      entries: subgroups.items.map(groupEntry),
      nextPageToken: subgroups.next === undefined ? 'projects:1' : `subgroups:${subgroups.next}`,
    };
  }
  const projects = await numberedPage<Project>(
    api,
    { path: `${group}/projects`, searchParams: { include_subgroups: false, order_by: 'id', sort: 'asc' } },
    page,
  );
  return {
    entries: projects.items.map((project) => ({
      kind: 'scope' as const,
      id: String(project.id),
      name: project.path_with_namespace,
      scope: { project: project.path_with_namespace },
    })),
    ...(projects.next === undefined ? {} : { nextPageToken: `projects:${projects.next}` }),
  };
}

function groupEntry(group: Group) {
  return { kind: 'group' as const, id: String(group.id), name: group.full_path };
}

async function topLevelGroups(api: ApiClient, pageToken: string | undefined): Promise<RemoteScopePage<GitlabScope>> {
  const first = { pagination: 'keyset', order_by: 'name', sort: 'asc', top_level_only: true, per_page: PAGE_SIZE };
  const searchParams: Record<string, string | number | boolean> = pageToken?.startsWith('keyset:')
    ? Object.fromEntries(new URLSearchParams(pageToken.slice('keyset:'.length)))
    : first;
  const response = await api.get<Group[]>('/groups', { searchParams });
  const next = parseLinkHeader(response.headers.link).next;
  return {
    entries: response.body.map(groupEntry),
    ...(next ? { nextPageToken: `keyset:${new URL(next).search.slice(1)}` } : {}),
  };
}

async function numberedPage<T>(api: ApiClient, request: ApiRequest, page: number) {
  for await (const listed of paginate<T>(api, request, nextPageHeader({ size: PAGE_SIZE }), { resume: page })) {
    return { items: listed.items, next: listed.next as number | undefined };
  }
  return { items: [] as T[], next: undefined };
}
