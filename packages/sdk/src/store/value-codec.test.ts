import { describe, expect, it } from 'vitest';
import { column, nullable } from '../domain/columns.js';
import { MYSQL_VALUES } from './dialects/mysql/mysql-values.js';
import { POSTGRES_VALUES } from './dialects/postgres/postgres-values.js';
import { SQLITE_VALUES } from './dialects/sqlite/sqlite-values.js';
import { ValueCodec } from './value-codec.js';
import { ValueTooLongError } from './value-too-long.js';

const sqlite = new ValueCodec(SQLITE_VALUES);
const postgres = new ValueCodec(POSTGRES_VALUES);
const mysql = new ValueCodec(MYSQL_VALUES);
const instant = new Date('2026-12-03T01:02:03.456Z');

describe('ValueCodec', () => {
  it('gives a row column its zero value, a parameter NULL, when the value is missing', () => {
    expect(sqlite.column(column.bool())(undefined)).toBe(0);
    expect(postgres.column(column.bigint())(null)).toBe(0);
    expect(mysql.column(column.text())(undefined)).toBe('');
    expect(postgres.column(nullable(column.text()))(undefined)).toBeNull();
    expect(sqlite.encode(undefined, column.bool())).toBeNull();
    expect(postgres.encode(null, column.bigint())).toBeNull();
  });

  it('binds each kind as its driver wants it', () => {
    expect(sqlite.encode(instant, column.datetime())).toBe('2026-12-03T01:02:03.456Z');
    expect(postgres.encode('2026-12-03T01:02:03.456Z', column.datetime())).toEqual(instant);
    expect(sqlite.encode('true', column.bool())).toBe(1);
    expect(postgres.encode(0, column.bool())).toBe(false);
    expect(postgres.encode('a\u0000b', column.text())).toBe('ab');
    expect(mysql.encode({ a: 1 }, column.json())).toBe('{"a":1}');
    expect(mysql.encode('12.9', column.bigint())).toBe(12);
  });

  it('judges an undeclared parameter by its type', () => {
    expect(sqlite.encode(instant)).toBe('2026-12-03T01:02:03.456Z');
    expect(postgres.encode(instant)).toEqual(instant);
    expect(sqlite.encode(true)).toBe(1);
    expect(mysql.encode(5n)).toBe(5);
    expect(sqlite.encode({ a: [1] })).toBe('{"a":[1]}');
    expect(sqlite.encode(Buffer.from('x'))).toEqual(Buffer.from('x'));
    expect(postgres.encode('text')).toBe('text');
  });

  it('refuses a value longer than its varchar column when writing, never when comparing', () => {
    expect(() => sqlite.column(column.varchar(3))('abcd')).toThrow(ValueTooLongError);
    expect(sqlite.encode('abcd', column.varchar(3))).toBe('abcd');
  });

  it('reads values back in their columns’ JavaScript types, whichever dialect wrote them', () => {
    expect(sqlite.decode(1, column.bool())).toBe(true);
    expect(mysql.decode('2026-12-03T01:02:03.456Z', column.datetime())).toEqual(instant);
    expect(postgres.decode('{"a":1}', column.json())).toEqual({ a: 1 });
    expect(sqlite.decode('12', column.bigint())).toBe(12);
  });
});
