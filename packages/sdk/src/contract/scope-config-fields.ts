import { z } from 'zod';

/**
 * A scope-config field holding a regular expression (matched case-insensitively), as DevLake's
 * scope configs have many: label → issue type, job name → deployment… An expression that does
 * not compile is refused where the config is read, naming the field, instead of failing a sync.
 *
 *   deploymentPattern: patternSetting('(deploy|push-image)', 'Jobs whose name matches are deployments'),
 */
export function patternSetting(fallback: string, description: string) {
  return z
    .string()
    .default(fallback)
    .refine((value) => {
      try {
        new RegExp(value, 'i');
        return true;
      } catch {
        return false;
      }
    }, 'must be a valid regular expression')
    .describe(description);
}

/**
 * DevLake's `timeAfter`: an optional ISO 8601 instant with its offset; what was created or
 * updated before it is not collected.
 */
export function timeAfterSetting(
  description = 'Only collect what was created or updated after this instant (ISO 8601)',
) {
  return z.string().datetime({ offset: true }).optional().describe(description);
}
