import type { ApiClient, RemoteScopeEntry, RemoteScopePage, RemoteScopeRequest } from '@lake/sdk';
import { jobPath } from './job-path.js';
import type { JenkinsScope } from './settings.js';

interface ListedJob {
  _class?: string;
  name: string;
  fullName?: string;
}

/** Item classes that hold jobs to walk into rather than builds: folders and organization folders. */
const CONTAINERS = new Set(['com.cloudbees.hudson.plugins.folder.Folder', 'jenkins.branch.OrganizationFolder']);

/**
 * The jobs of the root (no `groupId`) or of a folder (`groupId` = its full name). Folders are
 * groups to walk into; every other item is a scope, a multibranch pipeline included (a sync of
 * it covers all its branch jobs). Jenkins lists a folder's items in one answer.
 */
export async function listJenkinsScopes(
  api: ApiClient,
  request: RemoteScopeRequest,
): Promise<RemoteScopePage<JenkinsScope>> {
  const base = request.groupId === undefined ? '/' : `/${jobPath(request.groupId)}`;
  const response = await api.get<{ jobs?: ListedJob[] }>(`${base}api/json`, {
    searchParams: { tree: 'jobs[_class,name,fullName]' },
  });
  return { entries: (response.body.jobs ?? []).map((job) => entryOf(job, request.groupId)) };
}

function entryOf(job: ListedJob, parent: string | undefined): RemoteScopeEntry<JenkinsScope> {
  const fullName = job.fullName ?? (parent === undefined ? job.name : `${parent}/${job.name}`);
  if (CONTAINERS.has(job._class ?? '')) return { kind: 'group', id: fullName, name: fullName };
  return { kind: 'scope', id: fullName, name: fullName, scope: { job: fullName } };
}
