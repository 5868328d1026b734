/**
 * The synthetic connector the benchmark measures: one stream reading the items API page by
 * page (following `Link: rel="next"`), a tool table filled by the schema-driven extractor,
 * and a converter into the domain `issues` table — all three layers, as a real connector.
 */
import {
  column,
  defineConnector,
  defineStream,
  defineToolTable,
  domainRecord,
  key,
  type MigrationList,
  nullable,
  secret,
  z,
} from '@lake/sdk';

const connection = z.object({ baseUrl: z.string().url(), token: secret(), perPage: z.number().int().default(1000) });
const scope = z.object({ name: z.string() });

type Types = {
  connection: z.output<typeof connection> & { id: number };
  scope: z.output<typeof scope>;
  scopeConfig: object;
  client: undefined;
};

const columns = {
  id: key(column.bigint()),
  number: column.bigint(),
  title: column.text(),
  state: column.varchar(20),
  authorLogin: { ...column.varchar(), source: '/user/login' },
  createdDate: { ...column.datetime(), source: '/created_at' },
  itemUpdatedDate: { ...column.datetime(), source: '/updated_at' },
  closedDate: { ...nullable(column.datetime()), source: '/closed_at' },
  body: column.text(),
} as const;

const itemsTable = defineToolTable<Types>()({
  entity: 'items',
  columns,
  produces: ['issues'],
  *convert(row, context) {
    const closed = row.closed_date instanceof Date ? row.closed_date : null;
    const created = row.created_date instanceof Date ? row.created_date : null;
    yield domainRecord('issues', {
      id: context.ids.of('BenchItem', row.id!),
      issue_key: String(row.number),
      title: String(row.title),
      description: String(row.body),
      status: row.state === 'closed' ? 'DONE' : 'TODO',
      original_status: String(row.state),
      created_date: created,
      updated_date: row.item_updated_date,
      resolution_date: closed,
      lead_time_minutes: closed && created ? Math.floor((closed.getTime() - created.getTime()) / 60_000) : null,
      creator_id: context.ids.of('BenchAccount', String(row.author_login)),
      creator_name: String(row.author_login),
    });
  },
});

const itemsStream = defineStream<Types, { next?: string }>({
  name: 'items',
  tables: [itemsTable],
  async *collect(context) {
    let url: string | undefined =
      context.state?.next ?? `${context.connection.baseUrl}/items?page=1&per_page=${context.connection.perPage}`;
    while (url) {
      const response = await fetch(url, { headers: { authorization: `Bearer ${context.connection.token.reveal()}` } });
      if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
      const items = (await response.json()) as unknown[];
      for (const item of items) yield { data: item, url };
      url = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
      await context.checkpoint(url ? { next: url } : {});
    }
  },
});

const migrations: MigrationList = {
  '0001-items': {
    async up(context) {
      await context.createToolTable('items', {
        id: key(column.bigint()),
        number: column.bigint(),
        title: column.text(),
        state: column.varchar(20),
        author_login: column.varchar(),
        created_date: column.datetime(),
        item_updated_date: column.datetime(),
        closed_date: nullable(column.datetime()),
        body: column.text(),
      });
    },
  },
};

export const syntheticConnector = defineConnector({
  contractVersion: '1.0.0',
  name: 'bench',
  description: 'Synthetic items over HTTP, for benchmarks',
  domainTypes: ['TICKET'],
  connection,
  scope: { schema: scope, id: (value) => value.name, name: (value) => value.name },
  scopeConfig: z.object({}),
  testConnection: async () => ({ ok: true, message: 'ok' }),
  domainScopes: () => [],
  streams: [itemsStream],
  migrations,
});
