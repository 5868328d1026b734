import { z } from '@lake/sdk';
import { callerId, commitSha, dateTime, longText, repoUrl, shortText, url } from './payload-fields.js';

/** The results DevLake's domain layer knows; a caller may send them in any case. */
export const DEPLOYMENT_RESULTS = ['SUCCESS', 'FAILURE', 'ABORT'] as const;

const deploymentCommit = z.strictObject({
  repoUrl,
  commitSha,
  refName: shortText.optional(),
  commitMsg: longText.optional(),
  name: shortText.optional(),
  displayTitle: longText.optional(),
  url: url.optional(),
});

/**
 * A deployment, in the field names of DevLake's webhook (camelCase). The commits it deployed
 * come as `deploymentCommits` (one per repository), or, for a deployment of one repository, as
 * `repoUrl` + `commitSha` (+ `refName`, `commitMsg`) on the deployment itself.
 */
export const deploymentPayload = z
  .strictObject({
    id: callerId,
    name: shortText.optional(),
    displayTitle: longText.optional(),
    url: url.optional(),
    result: z
      .string()
      .transform((value) => value.toUpperCase())
      .pipe(z.enum(DEPLOYMENT_RESULTS, { message: `must be one of ${DEPLOYMENT_RESULTS.join(', ')}` }))
      .default('SUCCESS'),
    environment: shortText.min(1, 'must not be empty').default('PRODUCTION'),
    createdDate: dateTime.optional(),
    startedDate: dateTime,
    finishedDate: dateTime.optional(),
    repoUrl: repoUrl.optional(),
    commitSha: commitSha.optional(),
    refName: shortText.optional(),
    commitMsg: longText.optional(),
    deploymentCommits: z.array(deploymentCommit).min(1, 'must list at least one commit').max(100).optional(),
  })
  .superRefine((deployment, context) => {
    const shortcut = deployment.repoUrl !== undefined || deployment.commitSha !== undefined;
    if (deployment.deploymentCommits !== undefined && shortcut) {
      context.addIssue({
        code: 'custom',
        path: ['deploymentCommits'],
        message: 'give either deploymentCommits or repoUrl + commitSha, not both',
      });
    } else if (deployment.deploymentCommits === undefined) {
      if (deployment.repoUrl === undefined)
        context.addIssue({ code: 'custom', path: ['repoUrl'], message: 'is required (or give deploymentCommits)' });
      if (deployment.commitSha === undefined)
        context.addIssue({ code: 'custom', path: ['commitSha'], message: 'is required (or give deploymentCommits)' });
    }
    const repositories = new Set<string>();
    for (const [index, commit] of (deployment.deploymentCommits ?? []).entries()) {
      if (repositories.has(commit.repoUrl))
        context.addIssue({
          code: 'custom',
          path: ['deploymentCommits', index, 'repoUrl'],
          message: 'lists a repository twice: a deployment deploys one commit per repository',
        });
      repositories.add(commit.repoUrl);
    }
    if (deployment.createdDate && deployment.createdDate > deployment.startedDate)
      context.addIssue({ code: 'custom', path: ['createdDate'], message: 'must not be after startedDate' });
    if (deployment.finishedDate && deployment.finishedDate < deployment.startedDate)
      context.addIssue({ code: 'custom', path: ['finishedDate'], message: 'must not be before startedDate' });
  });

export type DeploymentPayload = z.output<typeof deploymentPayload>;

/** The commits of a deployment, whichever of the two forms it came in. */
export function commitsOf(deployment: DeploymentPayload): Array<z.output<typeof deploymentCommit>> {
  if (deployment.deploymentCommits) return deployment.deploymentCommits;
  return [
    {
      repoUrl: deployment.repoUrl!,
      commitSha: deployment.commitSha!,
      ...(deployment.refName === undefined ? {} : { refName: deployment.refName }),
      ...(deployment.commitMsg === undefined ? {} : { commitMsg: deployment.commitMsg }),
    },
  ];
}

/** The domain's environment, upper-cased as DevLake's (PRODUCTION, STAGING, TESTING, DEVELOPMENT); the original stays in original_environment. */
export function environmentOf(environment: string): string {
  return environment.toUpperCase();
}
