import { describe, expect, it } from 'vitest';
import { editConnectorRequest } from './edit-manifest.js';

const written = `# Our lake
connectors:
  git: shipped        # follows the runtime
  # github is pinned on purpose
  github: "^0.3.0"
  mine: { path: ../mine }

connections:
  - { name: org, connector: github, id: 1, settings: { tokens: ["x"], endpoint: 'https://api.github.com', maxInFlight: 8 }, scopes: [{ scope: { fullName: lake/core } }] }
`;

describe('editing one connector in lake.yaml', () => {
  it('adds, replaces and removes one line, leaving every other byte as written', () => {
    expect(editConnectorRequest(written, 'jira', '^0.2.0')).toBe(
      written.replace('  mine: { path: ../mine }\n', '  mine: { path: ../mine }\n  jira: ^0.2.0\n'),
    );
    expect(editConnectorRequest(written, 'github', '^0.4.0')).toBe(written.replace('"^0.3.0"', '^0.4.0'));
    expect(editConnectorRequest(written, 'mine', undefined)).toBe(written.replace('  mine: { path: ../mine }\n', ''));
    expect(editConnectorRequest(written, 'mine', { path: '../x', allowUnsigned: true })).toBe(
      written.replace('{ path: ../mine }', '{ path: ../x, allowUnsigned: true }'),
    );
    expect(editConnectorRequest(written, 'git', { version: '0.1.0', allowDowngrade: true })).toBe(
      written.replace('git: shipped', 'git: { version: 0.1.0, allowDowngrade: true }'),
    );
    // Removing what is not there changes nothing.
    expect(editConnectorRequest(written, 'nothing', undefined)).toBe(written);
  });

  it('handles a flow map, a multi-line value, no section, and no final newline', () => {
    expect(editConnectorRequest('connectors: { a: shipped, b: "1.0" }\nx: 1\n', 'c', 'shipped')).toBe(
      'connectors: { a: shipped, b: "1.0", c: shipped }\nx: 1\n',
    );
    expect(editConnectorRequest('connectors: { a: shipped, b: "1.0" }\n', 'a', undefined)).toBe(
      'connectors: { b: "1.0" }\n',
    );
    expect(editConnectorRequest('connectors: {}\n', 'git', 'shipped')).toBe('connectors: { git: shipped }\n');
    expect(editConnectorRequest('connectors:\n  mine:\n    path: ../mine\n  git: shipped\n', 'mine', '^1.0.0')).toBe(
      'connectors:\n  mine: ^1.0.0\n  git: shipped\n',
    );
    expect(editConnectorRequest('registry: {}\n', 'git', 'shipped')).toBe(
      'registry: {}\nconnectors:\n  git: shipped\n',
    );
    expect(editConnectorRequest('connectors:\n  a: shipped', 'b', '^1')).toBe('connectors:\n  a: shipped\n  b: ^1\n');
  });
});
