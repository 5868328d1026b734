import { type ApiClient, type ConnectorTypesOf, secret, timeAfterSetting, z } from '@lake/sdk';

/** Jira Cloud: the account's e-mail address and an API token, sent as HTTP basic auth. */
const cloudAuthSchema = z.object({
  type: z.literal('basic'),
  email: z.string().email().describe('The Atlassian account e-mail address'),
  apiToken: secret().describe('API token from id.atlassian.com (sent as basic auth with the e-mail)'),
});

/** Jira Data Center: a personal access token, sent as a bearer token. */
const dataCenterAuthSchema = z.object({
  type: z.literal('bearer'),
  token: secret().describe('Personal access token (sent as "Authorization: Bearer <token>")'),
});

export const connectionSchema = z.object({
  endpoint: z
    .string()
    .url()
    .describe('Jira base URL: https://<site>.atlassian.net for Cloud, https://jira.example.com for Data Center'),
  auth: z
    .discriminatedUnion('type', [cloudAuthSchema, dataCenterAuthSchema])
    .describe('Cloud: {type: "basic", email, apiToken}; Data Center: {type: "bearer", token}'),
  proxy: z.string().url().optional().describe('HTTP(S) proxy, e.g. http://proxy.internal:3128'),
  maxInFlight: z.number().int().min(1).max(32).default(4).describe('Requests in flight at once, for all streams'),
  maxPerSecond: z.number().positive().optional().describe('Requests started per second (default: unlimited)'),
});

/** One agile board: what a sync covers. */
export const scopeSchema = z.object({
  boardId: z.number().int().positive().describe('The agile board id, e.g. 8'),
  name: z.string().optional().describe('The board name, for display'),
});

const standardTypes = ['REQUIREMENT', 'BUG', 'INCIDENT'] as const;

/** DevLake's Jira scope config: issue-type mappings and the custom fields to read. */
export const scopeConfigSchema = z.object({
  typeMappings: z
    .record(z.string(), z.object({ standardType: z.enum(standardTypes) }))
    .default({})
    .describe('Jira issue type name → {standardType: REQUIREMENT | BUG | INCIDENT}; others keep the upper-cased name'),
  storyPointField: z.string().default('').describe('Field holding story points, e.g. customfield_10016'),
  epicKeyField: z.string().default('').describe('Field holding the epic link, e.g. customfield_10014'),
  dueDateField: z.string().default('duedate').describe('Field holding the due date'),
  timeAfter: timeAfterSetting('Only collect issues updated after this instant (ISO 8601)'),
});

export type JiraConnection = z.output<typeof connectionSchema>;
export type JiraScopeConfig = z.output<typeof scopeConfigSchema>;

export interface JiraClient {
  api: ApiClient;
  /** `3` on Cloud (rich text as ADF), `2` on Data Center. */
  restVersion: '2' | '3';
  /** Each board's saved filter id, looked up once per sync (see `boardFilterOf`). */
  boardFilters: Map<number, Promise<string>>;
}

export type JiraTypes = ConnectorTypesOf<
  typeof connectionSchema,
  typeof scopeSchema,
  typeof scopeConfigSchema,
  JiraClient
>;

/** Cloud speaks REST v3 (ADF rich text); Data Center v2. Told by the kind of credentials. */
export function restVersionOf(connection: Pick<JiraConnection, 'auth'>): '2' | '3' {
  return connection.auth.type === 'basic' ? '3' : '2';
}
