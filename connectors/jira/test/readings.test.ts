import { describe, expect, it } from 'vitest';
import { richText } from '../src/adf-text.js';
import { jiraErrorMessage } from '../src/jira-error-message.js';
import { accountIdOf, keyOf, minutesBetween, numberOrNull, standardStatus, standardType } from '../src/mappings.js';
import { changelogRows, SKIP_REASONS } from '../src/streams/changelog-items.js';
import type { JiraIssue } from '../src/streams/jira-payloads.js';

/** An issue as Jira sends it (items carry `toString`, which the type leaves to be read by name). */
const issue = (value: object) => value as JiraIssue;

describe('rich text', () => {
  it('reads an ADF document as lines of text, with mentions, emoji, links and breaks', () => {
    const document = {
      type: 'doc',
      version: 1,
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Outage' }] },
        {
          type: 'paragraph',
          content: [
            { type: 'mention', attrs: { id: '5b10', text: '@Ada' } },
            { type: 'text', text: ' see ' },
            { type: 'inlineCard', attrs: { url: 'https://status.example.com' } },
            { type: 'hardBreak' },
            { type: 'emoji', attrs: { shortName: ':fire:' } },
          ],
        },
        {
          type: 'bulletList',
          content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] }],
        },
      ],
    };
    expect(richText(document)).toBe('Outage\n@Ada see https://status.example.com\n:fire:\none');
  });

  it('reads what an ADF node lacks as nothing', () => {
    const document = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [{ type: 'text' }, { type: 'mention' }, { type: 'emoji', attrs: { text: '🔥' } }],
        },
        {
          type: 'paragraph',
          content: [{ type: 'emoji' }, { type: 'inlineCard' }, { content: [{ type: 'text', text: 'x' }] }],
        },
        { type: 'rule' },
        { type: 'paragraph' },
      ],
    };
    expect(richText(document)).toBe('🔥\nx');
  });

  it('keeps v2 strings as they are, and reads nothing as empty', () => {
    expect(richText('h2. Wiki *markup*')).toBe('h2. Wiki *markup*');
    expect(richText(null)).toBe('');
    expect(richText(undefined)).toBe('');
    expect(richText(42)).toBe('42');
  });
});

describe('Atlassian error bodies', () => {
  it('joins the error messages and the field errors', () => {
    expect(
      jiraErrorMessage(
        JSON.stringify({
          errorMessages: ["The value 'XYZ' does not exist for the field 'project'."],
          errors: { jql: 'bad' },
        }),
      ),
    ).toBe("The value 'XYZ' does not exist for the field 'project'.; jql: bad");
    expect(jiraErrorMessage(JSON.stringify({ errorMessages: [], errors: { maxResults: 'too large' } }))).toBe(
      'maxResults: too large',
    );
  });

  it('reads a plain message, and leaves bodies that are not Atlassian’s to the client', () => {
    expect(jiraErrorMessage(JSON.stringify({ message: 'Rate limit exceeded' }))).toBe('Rate limit exceeded');
    expect(jiraErrorMessage('<html>Bad gateway</html>')).toBeUndefined();
    expect(jiraErrorMessage('"just a string"')).toBeUndefined();
    expect(jiraErrorMessage('{}')).toBeUndefined();
  });
});

describe('mappings', () => {
  it('maps status categories, with OTHER for anything else', () => {
    expect(['new', 'indeterminate', 'done', 'undefined', null].map(standardStatus)).toEqual([
      'TODO',
      'IN_PROGRESS',
      'DONE',
      'OTHER',
      'OTHER',
    ]);
  });

  it('maps types through the scope config, else upper-cases the name', () => {
    const config = { typeMappings: { 'Production Incident': { standardType: 'INCIDENT' as const } } };
    expect(standardType('Production Incident', config)).toBe('INCIDENT');
    expect(standardType('Sub-task', config)).toBe('SUB-TASK');
  });

  it('reads minutes, ids, numbers and keys the way Jira sends them', () => {
    expect(minutesBetween(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T01:30:59Z'))).toBe(90);
    expect(minutesBetween(new Date('2026-01-02T00:00:00Z'), new Date('2026-01-01T00:00:00Z'))).toBeNull();
    expect(minutesBetween(null, new Date())).toBeNull();
    expect(accountIdOf({ accountId: 'abc' })).toBe('abc');
    expect(accountIdOf({ key: 'JIRAUSER1', name: 'ada' })).toBe('JIRAUSER1');
    expect(accountIdOf({ name: 'ada' })).toBe('ada');
    expect(accountIdOf({ displayName: 'Former user' })).toBeUndefined();
    expect(accountIdOf(null)).toBeUndefined();
    expect([numberOrNull(3.5), numberOrNull('8'), numberOrNull(''), numberOrNull('x'), numberOrNull(null)]).toEqual([
      3.5,
      8,
      null,
      null,
      null,
    ]);
    expect([keyOf('CORE-1'), keyOf({ key: 'CORE-2' }), keyOf(null), keyOf(7)]).toEqual(['CORE-1', 'CORE-2', '', '']);
  });
});

describe('changelog items', () => {
  it('keeps an item of a history without id as skipped, and counts histories not returned', () => {
    const rows = changelogRows(
      issue({
        id: '10001',
        key: 'CORE-1',
        changelog: {
          total: 5,
          histories: [
            {
              created: '2026-01-01T00:00:00.000+0000',
              items: [{ field: 'status', fromString: 'To Do', toString: 'Done' }],
            },
            { id: '7', items: [{ field: 'status' }, {}] },
          ],
        },
      }),
    );
    expect(rows.skipped).toEqual([SKIP_REASONS.noHistoryId, SKIP_REASONS.noField]);
    expect(rows.missing).toBe(3);
    expect(rows.rows.map((row) => [row.changelogId, row.itemIndex, row.skipReason])).toEqual([
      [-1, 0, SKIP_REASONS.noHistoryId],
      [7, 0, ''],
      [7, 1, SKIP_REASONS.noField],
    ]);
  });

  it('reads an issue without a changelog as none', () => {
    expect(changelogRows(issue({ id: '1', key: 'CORE-1' }))).toEqual({ rows: [], skipped: [], missing: 0 });
  });
});

describe('changelog item texts', () => {
  it('reads toString as the item text, never as the object method', () => {
    const [row] = changelogRows(
      issue({
        id: '1',
        key: 'CORE-1',
        changelog: { histories: [{ id: '9', items: [{ field: 'status', ...{ toString: 'Done' } }, { field: 'x' }] }] },
      }),
    ).rows;
    expect(row).toMatchObject({ toString: 'Done', field: 'status' });
    expect(
      changelogRows(issue({ id: '1', key: 'CORE-1', changelog: { histories: [{ id: '9', items: [{ field: 'x' }] }] } }))
        .rows[0],
    ).toMatchObject({ toString: '' });
  });
});
