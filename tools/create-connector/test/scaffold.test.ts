import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { nameProblem, ScaffoldError, scaffoldConnector, TEMPLATES } from '../src/scaffold.ts';

const workspace = fileURLToPath(new URL('../../../', import.meta.url));
let root: string | undefined;

/** A directory shaped like the workspace for what scaffolding writes: connectors/, .changeset/, Biome. */
async function scratchRoot(): Promise<string> {
  root = await mkdtemp(join(tmpdir(), 'lake-scaffold-'));
  await mkdir(join(root, 'connectors'));
  await mkdir(join(root, '.changeset'));
  return root;
}

afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

describe('create-connector', () => {
  it('refuses invalid, reserved and existing names before writing anything', async () => {
    expect(nameProblem('acme')).toBeUndefined();
    expect(nameProblem('Acme')).toMatch(/is not a connector name: 2 to 30 lower-case letters and digits/);
    expect(nameProblem('my-connector')).toMatch(/is not a connector name/);
    expect(nameProblem('9lives')).toMatch(/is not a connector name/);
    expect(nameProblem('sdk')).toBe('"sdk" is reserved for Lake\'s own packages and tables');
    const scratch = await scratchRoot();
    await expect(scaffoldConnector({ root: workspace, name: 'git', format: false })).rejects.toThrow(
      'connectors/git already exists; pick another name or remove it first',
    );
    await expect(scaffoldConnector({ root: scratch, name: 'Bad_Name', format: false })).rejects.toBeInstanceOf(
      ScaffoldError,
    );
    await expect(
      scaffoldConnector({ root: scratch, name: 'acme', template: 'graphql' as never, format: false }),
    ).rejects.toThrow('unknown template "graphql" (templates: http, database, files)');
  });

  it.each(TEMPLATES)(
    'writes a complete %s package: pinned, with its lake block, tests, README and changeset',
    async (template) => {
      const scratch = await scratchRoot();
      const result = await scaffoldConnector({ root: scratch, name: 'acme', template, format: false });
      expect(result.files).toEqual(
        expect.arrayContaining([
          'connectors/acme/package.json',
          'connectors/acme/README.md',
          'connectors/acme/src/connector.ts',
          'connectors/acme/src/settings.ts',
          'connectors/acme/src/client.ts',
          'connectors/acme/src/streams/items-stream.ts',
          'connectors/acme/src/tables/items-table.ts',
          'connectors/acme/src/migrations/0001-create-tool-tables.ts',
          'connectors/acme/test/conformance.test.ts',
          'connectors/acme/test/items-stream.test.ts',
          'connectors/acme/test/fake-acme.ts',
          '.changeset/connector-acme.md',
        ]),
      );
      const manifest = JSON.parse(await readFile(join(scratch, 'connectors/acme/package.json'), 'utf8'));
      expect(manifest).toMatchObject({
        name: '@lake/connector-acme',
        version: '0.1.0',
        bin: { 'lake-connector-acme': './dist/cli.js' },
        lake: { connector: 'acme', contract: '^1.0.0', domainTypes: ['TICKET', 'CROSS'] },
      });
      for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
        expect(String(version), name).toMatch(/^(?:workspace:\^|\d+\.\d+\.\d+)$/);
      }
      const settings = await readFile(join(scratch, 'connectors/acme/src/settings.ts'), 'utf8');
      expect(settings).toContain('secret()');
      expect(await readFile(join(scratch, 'connectors/acme/test/conformance.test.ts'), 'utf8')).toContain(
        'testConnector(',
      );
      const changeset = await readFile(join(scratch, '.changeset/connector-acme.md'), 'utf8');
      expect(changeset).toMatch(/^---\n"@lake\/connector-acme": patch\n---\n\nFirst release of the acme connector/);
      const everything = await Promise.all(result.files.map((file) => readFile(join(scratch, file), 'utf8')));
      for (const [index, text] of everything.entries()) {
        expect(text, result.files[index]).not.toMatch(/__[A-Za-z]+__/);
      }
    },
  );
});
