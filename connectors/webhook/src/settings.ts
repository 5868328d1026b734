import { type ConnectorTypesOf, secret, z } from '@lake/sdk';

/** Bearer tokens shorter than this are refused: a webhook is reachable from CI machines, so its token must not be guessable. */
export const MIN_TOKEN_LENGTH = 24;

export const connectionSchema = z.object({
  token: secret()
    .refine((token) => token.reveal().length >= MIN_TOKEN_LENGTH, `must be at least ${MIN_TOKEN_LENGTH} characters`)
    .describe('The bearer token callers send (`Authorization: Bearer <token>`); a secret reference in lake.yaml'),
  name: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe(
      'Display name of the webhook: the name of its cicd_scopes and boards rows (default: webhook <connection id>)',
    ),
  receiverUrl: z
    .url({ message: 'must be an absolute http(s) URL' })
    .optional()
    .describe(
      'Where callers reach the receiver (`lake webhook serve`), e.g. https://lake.example.com/webhook: `test-connection` checks the token against it',
    ),
});

/**
 * A webhook connection is its own scope, as in DevLake: deployments and incidents posted to it
 * belong to one cicd scope and one board. The scope object only carries an optional name.
 */
export const scopeSchema = z.object({
  name: z.string().min(1).max(255).optional().describe('Display name (default: the connection’s name)'),
});

export const scopeConfigSchema = z.object({});

export type WebhookTypes = ConnectorTypesOf<
  typeof connectionSchema,
  typeof scopeSchema,
  typeof scopeConfigSchema,
  null
>;

/** The scope id within a connection: a webhook has one scope. */
export const WEBHOOK_SCOPE_ID = 'webhook';
