import { type ApiClient, type ConnectorTypesOf, secret, z } from '@lake/sdk';

// #region settings
/** How to reach the Gitlab API. `token` is a secret: redacted everywhere, marked in the JSON Schema. */
export const connectionSchema = z.object({
  endpoint: z.string().url().describe('API root, e.g. https://gitlab.example.com/api/v1'),
  token: secret().describe('API token, sent as "Authorization: Bearer <token>"'),
  maxInFlight: z.number().int().min(1).max(32).default(4).describe('Requests in flight at once'),
});

/** One project of the API: what a sync covers. */
export const scopeSchema = z.object({
  project: z.string().min(1).describe('Project key, e.g. CORE'),
});

/** Per-scope options: every field optional, with a default. */
export const scopeConfigSchema = z.object({
  bugPattern: z.string().default('^bug$').describe('Item kinds (regular expression) that count as bugs'),
  since: z.string().datetime({ offset: true }).optional().describe('Ignore items last updated before this time'),
});
// #endregion settings

export interface GitlabClient {
  api: ApiClient;
}

export type GitlabTypes = ConnectorTypesOf<
  typeof connectionSchema,
  typeof scopeSchema,
  typeof scopeConfigSchema,
  GitlabClient
>;
