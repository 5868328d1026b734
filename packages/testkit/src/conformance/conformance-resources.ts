import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DialectName, openStore, type Store } from '@lake/sdk';
import { createScratchDatabase, type ScratchDatabase } from '@lake/sdk/testing';
import { createTestLake, type TestLake } from '../test-lake.js';
import type { ConformanceOptions, ConnectorFixture, FixtureOptions } from './conformance-options.js';
import type { ConnectorCommand } from './connector-cli.js';

/**
 * What the scenarios of one `testConnector` call create — fixtures, scratch databases, lakes,
 * temporary directories — and remove once the suite is done, whatever happened.
 */
export class ConformanceResources {
  readonly options: ConformanceOptions;
  readonly command: ConnectorCommand;
  readonly #fixtures: ConnectorFixture[] = [];
  readonly #databases: ScratchDatabase[] = [];
  readonly #lakes: TestLake[] = [];
  readonly #stores: Store[] = [];
  readonly #directories: string[] = [];

  constructor(options: ConformanceOptions) {
    this.options = options;
    this.command = { cli: options.cli, ...(options.cliEnvironment ? { environment: options.cliEnvironment } : {}) };
  }

  async fixture(fixtureOptions: FixtureOptions = { size: 'small' }): Promise<ConnectorFixture> {
    const fixture = await this.options.setup(fixtureOptions);
    this.#fixtures.push(fixture);
    return fixture;
  }

  /** The connector's soak fixture (`soakSetup`), removed with the suite. */
  async soakFixture(): Promise<ConnectorFixture> {
    const setup = this.options.soakSetup;
    if (!setup) throw new Error('[lake] [testkit] the connector has no soakSetup');
    const fixture = await setup();
    this.#fixtures.push(fixture);
    return fixture;
  }

  async database(dialect: DialectName): Promise<ScratchDatabase> {
    const database = await createScratchDatabase(dialect);
    this.#databases.push(database);
    return database;
  }

  /** A lake on a fresh database of `dialect`, for in-process syncs. */
  async lake(dialect: DialectName): Promise<TestLake> {
    const database = await this.database(dialect);
    const lake = await createTestLake({ connector: this.options.connector, url: database.url });
    this.#lakes.push(lake);
    return lake;
  }

  /** Opens a database a CLI run wrote, to read it (closed with the suite). */
  async open(url: string): Promise<Store> {
    const store = await openStore(url);
    this.#stores.push(store);
    return store;
  }

  async directory(): Promise<string> {
    const directory = await mkdtemp(join(tmpdir(), `lake-conformance-${this.options.connector.name}-`));
    this.#directories.push(directory);
    return directory;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.#lakes.splice(0).map((lake) => lake.close().catch(() => {})));
    await Promise.all(this.#stores.splice(0).map((store) => store.close().catch(() => {})));
    await Promise.all(this.#fixtures.splice(0).map((fixture) => fixture.teardown?.().catch(() => {})));
    await Promise.all(this.#databases.splice(0).map((database) => database.drop().catch(() => {})));
    await Promise.all(this.#directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
  }
}
