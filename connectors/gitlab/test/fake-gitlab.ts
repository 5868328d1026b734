import { readFileSync } from 'node:fs';
import { paginateByLink, startFakeApi } from '@lake/testkit/fake-api';

export const TOKEN = 'token-valid-0123456789';

interface Item {
  id: string;
  updated_at: string;
  [field: string]: unknown;
}

/** The fixture items, then `extra` generated ones (for pagination and volume). */
export function fixtureItems(extra = 0): Item[] {
  const items = JSON.parse(readFileSync(new URL('./fixtures/items.json', import.meta.url), 'utf8')) as Item[];
  for (let index = 0; index < extra; index += 1) {
    const updated = new Date(Date.UTC(2026, 1, 1, 0, 0, index)).toISOString().replace('.000', '');
    items.push({
      id: `CORE-${100 + index}`,
      title: `Generated item ${index}`,
      body: '',
      state: index % 4 === 0 ? 'closed' : 'open',
      kind: index % 5 === 0 ? 'bug' : 'task',
      author: { name: `author-${index % 7}` },
      created_at: updated,
      updated_at: updated,
      closed_at: index % 4 === 0 ? updated : null,
    });
  }
  return items;
}

// #region fake
/**
 * A fake Gitlab API on 127.0.0.1 that behaves like the real one: bearer tokens, `Link`
 * pagination, `updated_since` and ascending `updated` order, rate-limit headers and errors.
 * `mutate`, `remove` and `makeTies` change its items the way users do between two syncs; the
 * conformance suite also makes it hostile (shuffled, reversed or repeated pages, items that
 * change while a listing is paged, rate limits without Retry-After).
 */
export async function startFakeGitlab(items: Item[] = fixtureItems(), options: { port?: number } = {}) {
  const api = await startFakeApi({ port: options.port ?? 0 });
  const authorized = (token: string | undefined) => token === TOKEN;
  api.route('GET', '/api/v1/me', (request) =>
    authorized(request.token) ? { body: { name: 'lake-bot' } } : { status: 401, body: { message: 'invalid token' } },
  );
  api.route('GET', '/api/v1/projects/:project/items', (request) => {
    if (!authorized(request.token)) return { status: 401, body: { message: 'invalid token' } };
    if (request.params.project !== 'CORE') return { status: 404, body: { message: 'no such project' } };
    const since = request.query.get('updated_since');
    const listed = items
      .filter((item) => !since || Date.parse(item.updated_at) >= Date.parse(since))
      .sort((a, b) => Date.parse(a.updated_at) - Date.parse(b.updated_at));
    return paginateByLink(listed, request, { defaultPerPage: 50, maxPerPage: 100 });
  });
  api.rateLimit({ limit: 5_000 });

  // Edits stamp the real time, as the real API does: later than every fixture item, and
  // later than the start of a listing that is being read while they happen.
  let clock = 0;
  const now = () => {
    clock = Math.max(Date.now(), clock + 1);
    return new Date(clock).toISOString().replace('.000Z', 'Z');
  };
  return {
    api,
    url: `${api.url}/api/v1/`,
    items,
    /** Edits the titles and states of the three least recently updated items (they move to the end of the listing) and adds two. */
    mutate(round: number) {
      const oldest = [...items].sort((a, b) => Date.parse(a.updated_at) - Date.parse(b.updated_at)).slice(0, 3);
      for (const item of oldest) {
        Object.assign(item, { title: `${item.title} (edited in round ${round})`, state: 'closed', updated_at: now() });
        item.closed_at = item.updated_at;
      }
      for (let index = 0; index < 2; index += 1) {
        const at = now();
        items.push({
          id: `CORE-R${round}-${index}`,
          title: `Added in round ${round}`,
          body: '',
          state: 'open',
          kind: 'task',
          author: { name: 'Ada' },
          created_at: at,
          updated_at: at,
          closed_at: null,
        });
      }
    },
    /** Deletes the most recently updated item. */
    remove() {
      const newest = items.reduce((latest, item) =>
        Date.parse(item.updated_at) > Date.parse(latest.updated_at) ? item : latest,
      );
      items.splice(items.indexOf(newest), 1);
    },
    /** Gives half the items one update time (many items tie on the listing's sort key). */
    makeTies() {
      const at = now();
      items.forEach((item, index) => {
        if (index % 2 === 0) item.updated_at = at;
      });
    },
  };
}
// #endregion fake
