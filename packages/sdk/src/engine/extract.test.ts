import { describe, expect, it } from 'vitest';
import { defineToolTable } from '../contract/tool-table.js';
import { column, key, nullable } from '../domain/columns.js';
import { toColumnValue } from '../store/value-codec.js';
import { createDefaultExtractor } from './default-extractor.js';
import { readPointer } from './json-pointer.js';

describe('JSON pointers', () => {
  const document = { a: { 'b/c': [10, { '~d': 'deep' }] }, empty: null };
  it('reads RFC 6901 pointers, escapes included', () => {
    expect(readPointer(document, '')).toBe(document);
    expect(readPointer(document, '/a/b~1c/0')).toBe(10);
    expect(readPointer(document, '/a/b~1c/1/~0d')).toBe('deep');
    expect(readPointer(document, '/a/missing/x')).toBeUndefined();
    expect(readPointer(document, '/empty/x')).toBeUndefined();
    expect(() => readPointer(document, 'a')).toThrow(/must start with "\/"/);
  });
});

describe('the schema-driven extractor', () => {
  const issues = defineToolTable()({
    entity: 'issues',
    columns: {
      id: key(column.bigint()),
      title: column.varchar(),
      authorLogin: { ...column.varchar(), source: '/user/login' },
      labelCount: { ...column.bigint(), source: '/labels/length' },
      closedAt: { ...nullable(column.datetime()), source: '/closed_at' },
      locked: column.bool(),
      payload: { ...column.json(), source: '/meta' },
    },
  });
  it('fills snake_case columns from pointers, converting types', () => {
    const extract = createDefaultExtractor(issues);
    const { row } = extract({
      id: '42',
      title: 7,
      user: { login: 'octocat' },
      closed_at: '2024-05-01T10:00:00Z',
      locked: 'true',
      meta: { a: 1 },
    });
    expect(row).toEqual({
      id: 42,
      title: '7',
      author_login: 'octocat',
      // Missing from the payload: the zero value the lake stores for a non-nullable column.
      label_count: 0,
      closed_at: new Date('2024-05-01T10:00:00Z'),
      locked: true,
      payload: { a: 1 },
    });
  });

  it('converts values the way each column kind needs', () => {
    expect(toColumnValue({ kind: 'bigint' }, '12.9')).toBe(12);
    expect(toColumnValue({ kind: 'bigint' }, 'x')).toBe(0);
    expect(toColumnValue({ kind: 'bigint', nullable: true }, 'x')).toBeNull();
    expect(toColumnValue({ kind: 'float' }, '1.5')).toBe(1.5);
    expect(toColumnValue({ kind: 'bool' }, 0)).toBe(false);
    expect(toColumnValue({ kind: 'datetime' }, 'garbage')).toBeNull();
    expect(toColumnValue({ kind: 'json' }, '{"a":1}')).toEqual({ a: 1 });
    expect(toColumnValue({ kind: 'json' }, '{broken')).toBe('{broken');
    expect(toColumnValue({ kind: 'text' }, { a: 1 })).toBe('{"a":1}');
    expect(toColumnValue({ kind: 'varchar' }, new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(toColumnValue(undefined, 5)).toBe(5);
  });

  it('reads a missing value as what the lake stores: the zero value of a non-nullable column that is not a key, else NULL', () => {
    const missing = [undefined, null];
    for (const value of missing) {
      expect(toColumnValue({ kind: 'varchar' }, value)).toBe('');
      expect(toColumnValue({ kind: 'text' }, value)).toBe('');
      expect(toColumnValue({ kind: 'bigint' }, value)).toBe(0);
      expect(toColumnValue({ kind: 'float' }, value)).toBe(0);
      expect(toColumnValue({ kind: 'bool' }, value)).toBe(false);
      // No zero value: NULL whether declared nullable or not.
      expect(toColumnValue({ kind: 'datetime' }, value)).toBeNull();
      expect(toColumnValue({ kind: 'json' }, value)).toBeNull();
      expect(toColumnValue({ kind: 'varchar', nullable: true }, value)).toBeNull();
      expect(toColumnValue({ kind: 'bool', nullable: true }, value)).toBeNull();
      // A key has no default: a missing one is refused by the checks, not filed under 0.
      expect(toColumnValue({ kind: 'bigint', primaryKey: true }, value)).toBeNull();
    }
    expect(toColumnValue({ kind: 'float' }, 'not a number')).toBe(0);
  });
});
