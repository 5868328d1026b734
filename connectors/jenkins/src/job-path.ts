/**
 * The URL path of a job from its full name: `folder/sub/job` → `job/folder/job/sub/job/job/`
 * (relative to the Jenkins root, each name URL-encoded, so `feature%2Fx` branch jobs stay one segment).
 */
export function jobPath(fullName: string): string {
  return `${fullName
    .split('/')
    .map((name) => `job/${encodeURIComponent(name)}`)
    .join('/')}/`;
}

/** DevLake's name of a build: `<job full name>#<number>`. */
export function buildFullName(jobFullName: string, number: number): string {
  return `${jobFullName}#${number}`;
}
