// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { STARTER_MANIFEST } from '../cli/commands/init-command.js';
import { parseManifest } from '../manifest/load-manifest.js';
import { connectionSettingsIssues } from './check-settings.js';
import type { ConnectorSchemas } from './connector-schemas.js';

const workspace = new URL('../../../../', import.meta.url);

/** The GitHub connector's schemas as the integration registry publishes them (generated from its `info`). */
async function githubSchemas(): Promise<ConnectorSchemas> {
  const registry = parse(await readFile(new URL('registry/registry.yaml', workspace), 'utf8')) as {
    connectors: Array<{ name: string; settings: ConnectorSchemas }>;
  };
  return registry.connectors.find((connector) => connector.name === 'github')!.settings;
}

const environment: Record<string, string> = { GITHUB_TOKEN: 'ghp_example' };
const lookup = (reference: string) => environment[reference];

describe("settings against a connector's JSON Schema", () => {
  it('names a misspelt key, a missing one and a wrong type by their lake.yaml path', async () => {
    const manifest = parseManifest(`connectors: { github: shipped }
connections:
  - name: org
    connector: github
    id: 1
    settings: { token: "\${GITHUB_TOKEN}", maxInFlight: lots }
    scopes:
      - scope: { owner: lake, repo: core }
        config: { issueTypeBug: 3 }
`);
    const issues = connectionSettingsIssues(manifest, 0, await githubSchemas(), lookup);
    expect(issues.map((issue) => `${issue.path}: ${issue.message}`).sort()).toEqual([
      'connections[0].scopes[0].config.issueTypeBug: expected string, received number',
      'connections[0].scopes[0].scope.fullName: required',
      'connections[0].scopes[0].scope.owner: unknown key (expected fullName)',
      'connections[0].scopes[0].scope.repo: unknown key (expected fullName)',
      'connections[0].settings.maxInFlight: expected number, received string',
      'connections[0].settings.token: unknown key (expected endpoint, tokens, proxy, maxInFlight, maxPerSecond)',
      'connections[0].settings.tokens: required',
    ]);
    // The values substituted for references are never part of a message.
    expect(JSON.stringify(issues)).not.toContain('ghp_example');
  });

  it("passes the init template's and the README's GitHub examples", async () => {
    const schemas = await githubSchemas();
    // The template's GitHub connection is commented out: uncommented, it must be right.
    const lines = STARTER_MANIFEST.split('\n');
    const start = lines.indexOf('#  - name: github');
    expect(start).toBeGreaterThan(-1);
    const end = lines.findIndex((line, index) => index > start && !line.startsWith('#  '));
    const block = lines.slice(start, end === -1 ? undefined : end);
    const fromTemplate = parseManifest(
      `connectors: { github: shipped }\nconnections:\n${block.map((line) => line.slice(1)).join('\n')}\n`,
    );
    expect(fromTemplate.connections).toHaveLength(1);
    expect(connectionSettingsIssues(fromTemplate, 0, schemas, lookup)).toEqual([]);

    const readme = await readFile(new URL('packages/runtime/README.md', workspace), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    const fromReadme = parseManifest(example);
    const github = fromReadme.connections.findIndex((connection) => connection.connector === 'github');
    expect(github).toBeGreaterThan(-1);
    expect(connectionSettingsIssues(fromReadme, github, schemas, () => 'a-value')).toEqual([]);
  });
});
