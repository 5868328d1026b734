import type { DialectName, Store } from '@lake/sdk';
import { expect, it, vi } from 'vitest';
import type { ConnectorFixture } from './conformance-options.js';
import type { ConformanceResources } from './conformance-resources.js';
import { runConnectorCli } from './connector-cli.js';
import { findSecrets } from './secret-forms.js';

/**
 * Secrets in every channel: what connector code prints (console, process streams), the sync's
 * log lines, every table of the database (framework tables included), and everything the real
 * CLI writes to stdout and stderr for `sync`, `test-connection` (good and bad connections) —
 * none may hold a secret of the fixture, in clear, URL-encoded or base64. In-process, connector
 * code is caught before the CLI's own redaction could hide it: a connector must not print
 * secrets at all; the CLI's redaction is a second line, checked separately.
 */
export function describeSecretChannels(resources: ConformanceResources, dialect: DialectName): void {
  it('keeps secrets out of every table, every log line and everything connector code prints', async () => {
    const fixture = await resources.fixture({ size: 'small' });
    const lake = await resources.lake(dialect);
    const printed: string[] = [];
    const logs: unknown[] = [];
    const capture = (...values: unknown[]) => {
      printed.push(values.map((value) => (typeof value === 'string' ? value : safeJson(value))).join(' '));
    };
    const spies = [
      ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
        vi.spyOn(console, method).mockImplementation(capture),
      ),
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
        capture(String(chunk));
        return true;
      }),
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
        capture(String(chunk));
        return true;
      }),
    ];
    let result: Awaited<ReturnType<typeof lake.sync>>;
    try {
      result = await lake.sync(fixture.context, { logLevel: 'debug', logSink: (entry) => logs.push(entry) });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(result.error?.message ?? '', 'the sync failed').toBe('');
    const secrets = secretValues(fixture);
    expect(findSecrets(printed.join('\n'), secrets), 'printed by connector code during a sync').toEqual([]);
    expect(findSecrets(safeJson(logs), secrets), 'in the log lines of a sync').toEqual([]);
    expect(findSecrets(await dumpDatabase(lake.store), secrets), 'in the database').toEqual([]);
  });

  it('keeps secrets out of everything the CLI prints and writes', async () => {
    const fixture = await resources.fixture({ size: 'small' });
    const database = await resources.database(dialect);
    const directory = await resources.directory();
    const secrets = secretValues(fixture);
    const runs = [
      await runConnectorCli(resources.command, { directory, context: fixture.context, databaseUrl: database.url }),
      await runConnectorCli(resources.command, {
        directory,
        context: fixture.context,
        databaseUrl: database.url,
        command: ['test-connection'],
      }),
      await runConnectorCli(resources.command, {
        directory,
        context: { connection: fixture.failingConnection },
        databaseUrl: database.url,
        command: ['test-connection'],
      }),
      // Without --json: the human summary and progress lines.
      await runConnectorCli(resources.command, {
        directory,
        context: fixture.context,
        databaseUrl: database.url,
        command: ['sync'],
        args: ['--full'],
      }),
    ];
    expect(runs[0]!.code, `the CLI sync failed: ${runs[0]!.stderr.slice(-500)}`).toBe(0);
    for (const [index, run] of runs.entries()) {
      expect(findSecrets(run.stdout, secrets), `stdout of CLI run ${index + 1}`).toEqual([]);
      expect(findSecrets(run.stderr, secrets), `stderr of CLI run ${index + 1}`).toEqual([]);
    }
    const store = await resources.open(database.url);
    try {
      expect(findSecrets(await dumpDatabase(store), secrets), 'in the database the CLI wrote').toEqual([]);
    } finally {
      await store.close();
    }
  });
}

export function secretValues(fixture: ConnectorFixture): string[] {
  if (fixture.secrets) return fixture.secrets;
  return Object.entries(fixture.context.connection)
    .filter(([name, value]) => typeof value === 'string' && /(token|secret|password|key)/i.test(name))
    .map(([, value]) => value as string);
}

/** Every row of every table, framework tables included, as text. */
async function dumpDatabase(store: Store): Promise<string> {
  const parts: string[] = [];
  for (const table of await store.db.introspection.getTables({ withInternalKyselyTables: true })) {
    const rows = await store.db.selectFrom(table.name).selectAll().execute();
    const readable = rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([name, value]) => [name, Buffer.isBuffer(value) ? value.toString('utf8') : value]),
      ),
    );
    parts.push(`${table.name}: ${safeJson(readable)}`);
  }
  return parts.join('\n');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
  } catch {
    return String(value);
  }
}
