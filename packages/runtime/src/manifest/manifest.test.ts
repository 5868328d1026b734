// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { describe, expect, it } from 'vitest';
import { isRuntimeError, type RuntimeError } from '../errors.js';
import { interpolate, referencesIn } from './interpolate.js';
import { parseManifest } from './load-manifest.js';
import { describeRequest, normalizeRequest, scopeIdOf } from './manifest-schema.js';

function manifestError(text: string): RuntimeError {
  try {
    parseManifest(text);
  } catch (error) {
    if (isRuntimeError(error)) return error;
    throw error;
  }
  throw new Error('expected lake.yaml to be refused');
}

describe('lake.yaml', () => {
  it('fills the defaults: embedded SQLite, no connections, concurrency 2', () => {
    const manifest = parseManifest('connectors:\n  git: shipped\n');
    expect(manifest.database).toBe('sqlite:.lake/lake.db');
    expect(manifest.connections).toEqual([]);
    expect(manifest.sync.concurrency).toBe(2);
  });

  it('names every bad field at once, with its line', () => {
    const error = manifestError(`connectors:
  git: not-a-range
  Bad-Name: shipped
connections:
  - name: repo
    connector: github
    id: -3
    scopes: []
    colour: blue
schedules:
  - cron: "every tuesday"
`);
    expect(error.code).toBe('MANIFEST_INVALID');
    const issues = (error.details.issues as Array<{ path: string; line?: number; message: string }>).map(
      (issue) => `${issue.line}:${issue.path}`,
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        '2:connectors.git',
        '3:connectors.Bad-Name',
        '7:connections[0].id',
        '8:connections[0].scopes',
        '5:connections[0]',
      ]),
    );
    expect(error.message).toContain('expected a semver version or range');
    expect(error.message).toContain('unknown key "colour"');
  });

  it('checks what the schema alone cannot: connectors listed, unique names and ids, cron, schedule targets', () => {
    const error = manifestError(`connectors:
  git: shipped
connections:
  - { name: a, connector: git, id: 1, scopes: [{ scope: { path: . } }, { scope: { path: . } }] }
  - { name: a, connector: git, id: 1, scopes: [{ scope: { path: x } }] }
  - { name: b, connector: jira, id: 1, scopes: [{ scope: { key: X } }] }
schedules:
  - { cron: "61 * * * *" }
  - { cron: "0 * * * *", connections: [nowhere] }
`);
    expect(error.message).toContain('duplicate scope "."');
    expect(error.message).toContain('duplicate connection "a"');
    expect(error.message).toContain('id 1 is already used by git connection "a"');
    expect(error.message).toContain('connector "jira" is not listed under connectors');
    expect(error.message).toContain('invalid cron expression "61 * * * *"');
    expect(error.message).toContain('no connection named "nowhere"');
  });

  it('reads projects: scopes named by connection and scope id, metrics listed under metrics', () => {
    const manifest = parseManifest(`connectors:
  git: shipped
metrics:
  dora: shipped
connections:
  - { name: code, connector: git, id: 1, scopes: [{ id: shop, scope: { path: . } }] }
projects:
  shop:
    scopes: [{ connection: code, scope: shop }]
`);
    expect(manifest.metrics).toEqual({ dora: 'shipped' });
    expect(manifest.projects).toEqual({ shop: { scopes: [{ connection: 'code', scope: 'shop' }] } });
    expect(parseManifest('connectors:\n  git: shipped\n').projects).toEqual({});
  });

  it('names each project scope or metric that lake.yaml does not define', () => {
    const error = manifestError(`connectors:
  git: shipped
connections:
  - { name: code, connector: git, id: 1, scopes: [{ id: shop, scope: { path: . } }] }
projects:
  shop:
    scopes: [{ connection: code, scope: shoe }, { connection: kode, scope: shop }]
    metrics: [dora]
`);
    const paths = (error.details.issues as Array<{ path: string }>).map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'projects.shop.scopes[0].scope',
        'projects.shop.scopes[1].connection',
        'projects.shop.metrics[0]',
      ]),
    );
    expect(manifestError('connectors: { git: shipped }\nprojects: { empty: { scopes: [] } }\n').message).toContain(
      'a project needs at least one scope',
    );
    expect(error.message).toContain('connection "code" has no scope "shoe" (its scopes: "shop")');
    expect(error.message).toContain('no connection named "kode"');
    expect(error.message).toContain('metric "dora" is not listed under metrics');
  });

  it('reports YAML syntax errors with their line', () => {
    const error = manifestError('connectors:\n  git: shipped\n bad indent: [\n');
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.message).toMatch(/line \d+: \(yaml\)/);
  });

  it('normalises every way of asking for a connector', () => {
    const cases = [
      ['shipped', 'shipped'],
      ['^1.2.0', '^1.2.0'],
      [{ version: '0.1.0', allowDowngrade: true }, '0.1.0'],
      [{ version: 'shipped' }, 'shipped'],
      [{ path: '../mine' }, 'path:../mine'],
      [{ tarball: './mine.tgz' }, 'tarball:./mine.tgz'],
    ] as const;
    for (const [request, described] of cases) expect(describeRequest(normalizeRequest(request))).toBe(described);
    expect(normalizeRequest({ version: '0.1.0', allowDowngrade: true })).toMatchObject({ allowDowngrade: true });
  });

  it('derives a scope id from the scope values unless one is given', () => {
    expect(scopeIdOf({ scope: { owner: 'lake', repo: 'core' }, config: {} })).toBe('lake/core');
    expect(scopeIdOf({ id: 'mine', scope: { owner: 'lake' }, config: {} })).toBe('mine');
    expect(scopeIdOf({ scope: { nested: { a: 1 } }, config: {} })).toBe('{"nested":{"a":1}}');
  });
});

describe('references', () => {
  const resolve = (reference: string) =>
    (({ TOKEN: 's3cret-token', 'secret:db': 'hunter22' }) as Record<string, string>)[reference];

  it('substitutes environment and secret-store references and reports the values as secrets', () => {
    const result = interpolate(
      { token: '${TOKEN}', url: 'postgres://lake:${secret:db}@db/lake', literal: '$${TOKEN}', count: 3 },
      resolve,
      'connections[0].settings',
    );
    expect(result.value).toEqual({
      token: 's3cret-token',
      url: 'postgres://lake:hunter22@db/lake',
      literal: '${TOKEN}',
      count: 3,
    });
    expect(result.substituted.sort()).toEqual(['hunter22', 's3cret-token']);
  });

  it('names the field and the missing variable, never a value', () => {
    expect(() => interpolate({ a: ['${MISSING}'] }, resolve, 'settings')).toThrow(
      'settings.a[0]: environment variable MISSING is not set',
    );
    expect(() => interpolate('${secret:gone}', resolve, 'token')).toThrow('secret "gone" is not in the secret store');
    expect(() => interpolate('${not valid}', resolve, 'token')).toThrow('is not a reference');
  });

  it('lists the references a value makes', () => {
    expect(referencesIn({ a: '${A} and ${secret:b}', b: ['$${C}', '${D}'] })).toEqual(['A', 'secret:b', 'D']);
  });

  it('refuses a database it cannot open and a key that is not an ed25519 public key, and takes allowUnsigned', () => {
    const error = manifestError(`database: oracle://scott:tiger@db/orcl
connectors:
  mine: { path: ../mine, allowUnsigned: true }
trust:
  keys: [not-a-key]
`);
    const messages = (error.details.issues as Array<{ path: string; message: string }>).map(
      (issue) => `${issue.path}: ${issue.message}`,
    );
    expect(messages).toEqual([
      'database: expected sqlite:<path>, postgres://…, postgresql://…, mysql://… or mariadb://… (or a reference to one)',
      'trust.keys[0]: not a public key (expected the base64 of an ed25519 public key, as `pnpm release:keygen` prints it)',
    ]);
    const manifest = parseManifest(
      'database: ${DATABASE_URL}\nconnectors:\n  mine: { tarball: ./mine.tgz, allowUnsigned: true }\n',
    );
    expect(normalizeRequest(manifest.connectors.mine!)).toEqual({
      kind: 'tarball',
      path: './mine.tgz',
      allowUnsigned: true,
    });
    for (const url of ['sqlite:x.db', 'postgres://a@b/c', 'postgresql://a@b/c', 'mysql://a@b/c', 'mariadb://a@b/c']) {
      expect(parseManifest(`database: ${url}\nconnectors: {}\n`).database).toBe(url);
    }
  });
});
