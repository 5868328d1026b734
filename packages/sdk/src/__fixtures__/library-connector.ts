/**
 * A small but complete connector over an in-memory "library" API, used by the SDK's own
 * tests: paginated books (incremental by `updatedAt`), a substream of loans per book, and a
 * non-incremental authors stream. Tests mutate `library` to simulate the source changing.
 */
import { z } from 'zod';
import type { ConnectorTypesOf } from '../contract/context.js';
import { defineConnector } from '../contract/define-connector.js';
import { defineStream, defineSubstream } from '../contract/stream.js';
import { defineToolTable } from '../contract/tool-table.js';
import { column, key } from '../domain/columns.js';
import { domainRecord } from '../domain/domain-schema.js';
import type { MigrationList } from '../migrations/migration.js';
import { secret } from '../secrets/secret.js';

export interface Book {
  id: number;
  title: string;
  author: string;
  updatedAt: string;
  closed: boolean;
}

export interface Loan {
  id: number;
  bookId: number;
  reader: string;
}

export interface Library {
  books: Book[];
  loans: Loan[];
  /** Calls to fail, by page number (counts down per failure). */
  failPages: Map<number, number>;
  requests: number;
}

export function createLibrary(bookCount: number, loansPerBook = 2, firstId = 1): Library {
  const books: Book[] = [];
  const loans: Loan[] = [];
  for (let index = firstId; index < firstId + bookCount; index += 1) {
    books.push({
      id: index,
      title: `Book ${index}`,
      author: `author-${index % 7}`,
      updatedAt: new Date(Date.UTC(2024, 0, 1, 0, 0, index)).toISOString(),
      closed: index % 3 === 0,
    });
    for (let loan = 0; loan < loansPerBook; loan += 1) {
      loans.push({ id: index * 100 + loan, bookId: index, reader: `reader-${(index + loan) % 11}` });
    }
  }
  return { books, loans, failPages: new Map(), requests: 0 };
}

const connection = z.object({
  token: secret().describe('API token'),
  pageSize: z.number().int().min(1).default(10).describe('Books per page'),
});
const scope = z.object({ shelf: z.string().min(1).describe('Shelf name') });
const scopeConfig = z.object({ bugPattern: z.string().default('Book 1').describe('Titles that count as bugs') });

/** One library per shelf (the scope); tests add shelves to `libraries` as they go. */
export type LibraryClient = { libraries: Record<string, Library>; token: string };

function shelfOf(context: { client: LibraryClient; scope: { shelf: string } }): Library {
  const library = context.client.libraries[context.scope.shelf];
  if (!library) throw new Error(`no shelf ${context.scope.shelf}`);
  return library;
}
export type LibraryTypes = ConnectorTypesOf<typeof connection, typeof scope, typeof scopeConfig, LibraryClient>;

export const booksTable = defineToolTable<LibraryTypes>()({
  entity: 'books',
  columns: {
    id: key(column.bigint()),
    title: column.varchar(),
    authorName: { ...column.varchar(), source: '/author' },
    bookUpdatedAt: { ...column.datetime(), source: '/updatedAt' },
    closed: column.bool(),
  },
  produces: ['issues', 'boards'],
  *convert(row, context) {
    yield domainRecord('issues', {
      id: context.ids.of('LibraryBook', row.id!),
      title: row.title ?? '',
      status: row.closed ? 'DONE' : 'TODO',
      type: String(row.title).startsWith((context.scopeConfig as { bugPattern: string }).bugPattern) ? 'BUG' : '',
      updated_date: row.book_updated_at,
    });
  },
});

export const loansTable = defineToolTable<LibraryTypes>()({
  entity: 'loans',
  columns: { id: key(column.bigint()), bookId: column.bigint(), reader: column.varchar() },
  produces: ['issue_assignees'],
  *convert(row, context) {
    yield domainRecord('issue_assignees', {
      issue_id: context.ids.of('LibraryBook', row.book_id!),
      assignee_id: context.ids.of('LibraryReader', String(row.reader)),
      assignee_name: String(row.reader),
    });
  },
});

export const authorsTable = defineToolTable<LibraryTypes>()({
  entity: 'authors',
  columns: { name: key(column.varchar()) },
  produces: ['accounts'],
  *convert(row, context) {
    yield domainRecord('accounts', {
      id: context.ids.of('LibraryAuthor', String(row.name)),
      user_name: String(row.name),
    });
  },
});

export const booksStream = defineStream<LibraryTypes, { since?: string; seen?: number[] }>({
  name: 'books',
  incremental: true,
  tables: [booksTable],
  async *collect(context) {
    const library = shelfOf(context);
    const since = context.state?.since;
    const seen = new Set(context.state?.seen ?? []);
    const changed = library.books
      .filter(
        (book) => since === undefined || book.updatedAt > since || (book.updatedAt === since && !seen.has(book.id)),
      )
      .sort((left, right) => left.updatedAt.localeCompare(right.updatedAt) || left.id - right.id);
    context.reportTotal(changed.length);
    const pageSize = (context.connection as unknown as { pageSize: number }).pageSize;
    let bookmark = since;
    let atBookmark = [...seen];
    for (let page = 0; page * pageSize < changed.length; page += 1) {
      library.requests += 1;
      const failures = library.failPages.get(page) ?? 0;
      if (failures > 0) {
        library.failPages.set(page, failures - 1);
        throw new Error(`page ${page} failed (token ${context.client.token})`);
      }
      const items = changed.slice(page * pageSize, (page + 1) * pageSize);
      for (const book of items) {
        yield { data: book, url: `https://library.test/books?page=${page}&token=${context.client.token}` };
        if (book.updatedAt !== bookmark) {
          bookmark = book.updatedAt;
          atBookmark = [];
        }
        atBookmark.push(book.id);
      }
      await context.checkpoint({ since: bookmark, seen: atBookmark });
    }
  },
});

export const loansStream = defineSubstream<LibraryTypes>()({
  name: 'loans',
  incremental: true,
  parent: { stream: 'books', table: booksTable },
  tables: [loansTable],
  async *collect(context, book) {
    const library = shelfOf(context);
    library.requests += 1;
    await new Promise((resolve) => setImmediate(resolve));
    for (const loan of library.loans.filter((candidate) => candidate.bookId === book.id)) {
      yield { data: loan, url: `https://library.test/books/${book.id}/loans` };
    }
  },
});

export const authorsStream = defineStream<LibraryTypes>({
  name: 'authors',
  dependsOn: ['books'],
  tables: [authorsTable],
  async *collect(context) {
    const names = [...new Set(shelfOf(context).books.map((book) => book.author))].sort();
    for (const name of names) yield { data: { name } };
  },
});

const migrations: MigrationList = {
  '0001-library-tables': {
    async up(context) {
      await context.createToolTable('books', {
        id: key(column.bigint()),
        title: column.varchar(),
        author_name: column.varchar(),
        book_updated_at: column.datetime(),
        closed: column.bool(),
      });
      await context.createToolTable('loans', {
        id: key(column.bigint()),
        book_id: column.bigint(),
        reader: column.varchar(),
      });
      await context.createToolTable('authors', { name: key(column.varchar()) });
    },
  },
};

export function createLibraryConnector(libraries: Library | Record<string, Library>) {
  const shelves: Record<string, Library> =
    'books' in libraries ? { main: libraries as Library } : (libraries as Record<string, Library>);
  return defineConnector({
    contractVersion: '1.0.0',
    name: 'library',
    description: 'An in-memory library, for tests',
    domainTypes: ['TICKET', 'CROSS'],
    connection,
    scope: {
      schema: scope,
      id: (value) => value.shelf,
      name: (value) => `shelf ${value.shelf}`,
      rawParams: (connectionId, value) => ({ ConnectionId: connectionId, Shelf: value.shelf }),
    },
    scopeConfig,
    client: ({ connection: parsed }) => ({ libraries: shelves, token: parsed.token.reveal() }),
    async testConnection(context) {
      return context.client.token.startsWith('good-token')
        ? { ok: true, message: 'welcome' }
        : { ok: false, message: `token ${context.client.token} rejected` };
    },
    domainScopes: (context) => [{ table: 'boards', id: context.ids.of('LibraryShelf', context.scopeId) }],
    streams: [booksStream, loansStream, authorsStream],
    migrations,
  });
}
