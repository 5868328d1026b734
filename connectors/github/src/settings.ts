import {
  type ApiClient,
  type ConnectorTypesOf,
  patternSetting,
  SECRET_SCHEMA_KEYWORD,
  secret,
  timeAfterSetting,
  z,
} from '@lake/sdk';

export const connectionSchema = z.object({
  endpoint: z
    .string()
    .url()
    .default('https://api.github.com')
    .describe('REST API root: https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server'),
  tokens: z
    .array(secret())
    .min(1, 'needs at least one token')
    .meta({ writeOnly: true, [SECRET_SCHEMA_KEYWORD]: true })
    .describe('Personal access tokens (classic or fine-grained); several are rotated, each with its own quota'),
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
    .describe('Requests started per second (default: unlimited; quotas still apply)'),
});

export const scopeSchema = z.object({
  fullName: z
    .string()
    .regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/name')
    .describe('The repository, as owner/name'),
});

/** DevLake's scope-config options for GitHub, with DevLake's defaults. Regexes are matched case-insensitively. */
export const scopeConfigSchema = z.object({
  issueTypeRequirement: patternSetting(
    '(feat|feature|proposal|requirement)',
    'Labels that make an issue a REQUIREMENT',
  ),
  issueTypeBug: patternSetting('(bug|broken)', 'Labels that make an issue a BUG'),
  issueTypeIncident: patternSetting('(incident|failure)', 'Labels that make an issue an INCIDENT'),
  issuePriority: patternSetting('(highest|high|medium|low|p0|p1|p2|p3)', 'Labels giving an issue its priority'),
  issueSeverity: patternSetting('severity(.*)', 'Labels giving an issue its severity (the first group is the value)'),
  issueComponent: patternSetting(
    'component(.*)',
    'Labels giving an issue its component (the first group is the value)',
  ),
  prType: patternSetting('type(.*)', 'Labels giving a pull request its type'),
  prComponent: patternSetting('component(.*)', 'Labels giving a pull request its component'),
  deploymentPattern: patternSetting('(deploy|push-image)', 'Workflow runs and jobs whose name matches are deployments'),
  productionPattern: patternSetting('prod(.*)', 'Deployments whose name or environment matches are in production'),
  timeAfter: timeAfterSetting(),
});

export type GithubScopeConfig = z.output<typeof scopeConfigSchema>;

/** The client every stream of a sync shares: one request budget, one set of tokens. */
export interface GithubClient {
  api: ApiClient;
}

export type GithubTypes = ConnectorTypesOf<
  typeof connectionSchema,
  typeof scopeSchema,
  typeof scopeConfigSchema,
  GithubClient
>;

/** `/repos/<owner>/<name>` for the scope. */
export function repositoryPath(scope: { fullName: string }): string {
  const [owner, name] = scope.fullName.split('/');
  return `/repos/${encodeURIComponent(owner!)}/${encodeURIComponent(name!)}`;
}
