import { type ApiClient, type ConnectorTypesOf, patternSetting, secret, timeAfterSetting, z } from '@lake/sdk';

/** How to reach a Jenkins controller. `apiToken` is a secret: redacted everywhere. */
export const connectionSchema = z.object({
  endpoint: z.string().url().describe('Jenkins root URL, e.g. https://ci.example.com/ (or https://host/jenkins/)'),
  username: z.string().min(1).describe('Jenkins user id the API token belongs to'),
  apiToken: secret().describe('API token of that user (User → Security → API Token), sent as HTTP basic auth'),
  proxy: z.string().url().optional().describe('HTTP(S) proxy, e.g. http://proxy.internal:3128'),
  maxInFlight: z
    .number()
    .int()
    .min(1)
    .max(32)
    .default(4)
    .describe('Requests in flight at once, for all streams (default 4: Jenkins serves the API from its web threads)'),
  maxPerSecond: z.number().positive().optional().describe('Requests started per second (default: unlimited)'),
});

/** One job by its full name: folders and multibranch pipelines separated by `/`. */
export const scopeSchema = z.object({
  job: z
    .string()
    .regex(/^[^/\s][^/]*(\/[^/]+)*$/, 'must be a job full name such as folder/sub/job')
    .describe('Full name of the job: folder/sub/job; a multibranch pipeline syncs all its branch jobs'),
});

/** DevLake's Jenkins scope config: which builds and stages are deployments, and which of those production. */
export const scopeConfigSchema = z.object({
  deploymentPattern: patternSetting(
    '(deploy|push-image)',
    'Builds (job full name) and Pipeline stages (name) that match are deployments',
  ),
  productionPattern: patternSetting('', 'Deployments whose name matches are in PRODUCTION (empty: every deployment)'),
  timeAfter: timeAfterSetting('Only collect builds started after this instant (ISO 8601)'),
});

export type JenkinsConnection = z.output<typeof connectionSchema>;
export type JenkinsScopeConfig = z.output<typeof scopeConfigSchema>;
export type JenkinsScope = z.output<typeof scopeSchema>;

export interface JenkinsClient {
  api: ApiClient;
}

export type JenkinsTypes = ConnectorTypesOf<
  typeof connectionSchema,
  typeof scopeSchema,
  typeof scopeConfigSchema,
  JenkinsClient
>;
