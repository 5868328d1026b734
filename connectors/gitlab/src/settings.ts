import { type ApiClient, type ConnectorTypesOf, patternSetting, secret, timeAfterSetting, z } from '@lake/sdk';

/** GitLab.com documents 10,000 requests an hour for the pipelines API on its own budget. */
export const DEFAULT_PIPELINES_PER_HOUR = 10_000;

/** How to reach GitLab.com or a self-managed instance. `token` is a secret: redacted everywhere. */
export const connectionSchema = z.object({
  endpoint: z
    .string()
    .url()
    .default('https://gitlab.com/api/v4')
    .describe('REST API root: https://gitlab.com/api/v4, or https://<host>/api/v4 for a self-managed instance'),
  token: secret().describe('Personal, project or group access token (read_api), sent as "PRIVATE-TOKEN"'),
  proxy: z.string().url().optional().describe('HTTP(S) proxy, e.g. http://proxy.internal:3128'),
  maxInFlight: z
    .number()
    .int()
    .min(1)
    .max(64)
    .default(8)
    .describe('Requests in flight at once, for all streams of a sync'),
  maxPerSecond: z
    .number()
    .positive()
    .optional()
    .describe('Requests started per second, for all streams (default: unlimited; RateLimit-* headers still apply)'),
  pipelinesPerHour: z
    .number()
    .positive()
    .default(DEFAULT_PIPELINES_PER_HOUR)
    .describe('Requests an hour to the pipelines API (a budget of its own, within the one above)'),
});

/** A project by numeric id, or by full path. */
export const scopeSchema = z.object({
  project: z
    .union([
      z.number().int().positive(),
      z
        .string()
        .regex(
          /^(\d+|[^/\s]+(\/[^/\s]+)+)$/,
          'must be a numeric project id or a full path such as group/subgroup/name',
        ),
    ])
    .describe('The project: its numeric id, or its full path (group/subgroup/name)'),
});

/** DevLake's scope-config options for GitLab, with DevLake's defaults. Regexes are matched case-insensitively. */
export const scopeConfigSchema = z.object({
  issueTypeRequirement: patternSetting(
    '(feat|feature|proposal|requirement)',
    'Labels that make an issue a REQUIREMENT',
  ),
  issueTypeBug: patternSetting('(bug|broken)', 'Labels that make an issue a BUG'),
  issueTypeIncident: patternSetting('(incident|failure)', 'Labels that make an issue an INCIDENT'),
  issuePriority: patternSetting('(highest|high|medium|low|p0|p1|p2|p3)', 'Labels giving an issue its priority'),
  prType: patternSetting('type(.*)', 'Labels giving a merge request its type'),
  prComponent: patternSetting('component(.*)', 'Labels giving a merge request its component'),
  deploymentPattern: patternSetting(
    '(deploy|push-image)',
    'Pipelines and jobs whose name or ref matches are deployments',
  ),
  productionPattern: patternSetting(
    'prod(.*)',
    'Deployment pipelines and jobs whose name or ref matches are in production',
  ),
  envNamePattern: patternSetting('(prod|production)', 'Environments whose name matches are production'),
  timeAfter: timeAfterSetting(),
});

export type GitlabScopeConfig = z.output<typeof scopeConfigSchema>;
export type GitlabScope = z.output<typeof scopeSchema>;

/** The clients every stream of a sync shares: one request budget, the pipelines API's within it. */
export interface GitlabClient {
  api: ApiClient;
}

export type GitlabTypes = ConnectorTypesOf<
  typeof connectionSchema,
  typeof scopeSchema,
  typeof scopeConfigSchema,
  GitlabClient
>;

/** `/projects/<id or URL-encoded full path>`. */
export function projectPath(scope: GitlabScope): string {
  return `/projects/${encodeURIComponent(String(scope.project))}`;
}
