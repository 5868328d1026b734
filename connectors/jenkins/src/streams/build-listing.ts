import type { ApiClient } from '@lake/sdk';
import { jobPath } from '../job-path.js';
import { LISTING_TREE, type ListedBuild } from './jenkins-payloads.js';

/** Builds per page of the listing (`allBuilds[…]{from,to}`): three small fields each. */
export const LISTING_PAGE = 1000;

/**
 * Every build of a job, newest first, from `allBuilds[number,timestamp,building]{from,to}`
 * pages. A range is a position in the list, and the list moves while it is read: a build
 * started meanwhile pushes the rest down (its predecessor is listed again: skipped, as every
 * number not below the lowest read so far), a build deleted meanwhile pulls the rest up (one
 * would be skipped). Each page therefore overlaps the previous one by a build; a page that does
 * not reach back to the lowest number read so far left a gap, and is read again one page earlier.
 */
export async function listBuilds(api: ApiClient, job: string): Promise<ListedBuild[]> {
  const listed: ListedBuild[] = [];
  let from = 0;
  for (;;) {
    const start = from === 0 ? 0 : from - 1;
    const to = from + LISTING_PAGE;
    const page = await listingPage(api, job, start, to);
    const lowest = listed.at(-1)?.number ?? Number.POSITIVE_INFINITY;
    if (from > 0 && !page.some((build) => build.number >= lowest)) {
      from = Math.max(0, from - LISTING_PAGE);
      continue;
    }
    for (const build of page) if (build.number < lowest) listed.push(build);
    if (page.length < to - start) return listed;
    // Where the page's last build stands in the list as it is now: the next page starts there.
    from = start + page.length;
  }
}

async function listingPage(api: ApiClient, job: string, from: number, to: number): Promise<ListedBuild[]> {
  const response = await api.get<{ allBuilds?: ListedBuild[] }>(`/${jobPath(job)}api/json`, {
    searchParams: { tree: `allBuilds[${LISTING_TREE}]{${from},${to}}` },
  });
  return response.body.allBuilds ?? [];
}
