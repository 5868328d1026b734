import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { patternSetting, timeAfterSetting } from './scope-config-fields.js';

const schema = z.object({
  deploymentPattern: patternSetting('(deploy|push-image)', 'Jobs that deploy'),
  timeAfter: timeAfterSetting(),
});

describe('scope-config fields', () => {
  it('fill the default pattern and leave timeAfter out when not given', () => {
    expect(schema.parse({})).toEqual({ deploymentPattern: '(deploy|push-image)' });
  });

  it('name each bad field: a pattern that does not compile, an instant without its offset', () => {
    const parsed = schema.safeParse({ deploymentPattern: '(unclosed', timeAfter: '2026-01-01T00:00:00' });
    expect(parsed.success).toBe(false);
    const issues = parsed.error!.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(issues).toEqual([
      ['deploymentPattern', 'must be a valid regular expression'],
      ['timeAfter', expect.stringMatching(/datetime/i)],
    ]);
  });

  it('accept an instant with its offset, and describe themselves for the settings schema', () => {
    expect(schema.parse({ timeAfter: '2026-01-01T00:00:00+02:00' }).timeAfter).toBe('2026-01-01T00:00:00+02:00');
    expect(schema.shape.deploymentPattern.description).toBe('Jobs that deploy');
    expect(schema.shape.timeAfter.description).toMatch(/ISO 8601/);
  });
});
