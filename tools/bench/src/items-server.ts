/**
 * A paginated JSON API on 127.0.0.1 (port 0), run in its own process so that its memory and
 * CPU do not count against the client being measured. `GET /items?page=N&per_page=M` returns
 * M deterministic items and a `Link: <…>; rel="next"` header until `total` items are served.
 *
 *   node items-server.ts <total>     prints {"port": …} on stdout once listening
 */
import { createServer } from 'node:http';

const total = Number(process.argv[2] ?? 100_000);

function item(id: number) {
  return {
    id,
    number: id,
    title: `Item ${id}: a realistic title with a few words in it`,
    state: id % 4 === 0 ? 'closed' : 'open',
    user: { login: `user-${id % 997}`, id: id % 997 },
    labels: [{ name: id % 3 === 0 ? 'bug' : 'feature' }],
    created_at: new Date(Date.UTC(2020, 0, 1) + id * 60_000).toISOString(),
    updated_at: new Date(Date.UTC(2021, 0, 1) + id * 60_000).toISOString(),
    closed_at: id % 4 === 0 ? new Date(Date.UTC(2021, 6, 1) + id * 60_000).toISOString() : null,
    body: 'Steps to reproduce: open the page, click the button, watch it fail. '.repeat(2),
  };
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const page = Number(url.searchParams.get('page') ?? 1);
  const perPage = Number(url.searchParams.get('per_page') ?? 100);
  const first = (page - 1) * perPage + 1;
  const last = Math.min(total, first + perPage - 1);
  const items = [];
  for (let id = first; id <= last; id += 1) items.push(item(id));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (last < total)
    headers.link = `<http://127.0.0.1:${port()}/items?page=${page + 1}&per_page=${perPage}>; rel="next"`;
  response.writeHead(200, headers);
  response.end(JSON.stringify(items));
});
const port = () => (server.address() as { port: number }).port;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: port() })}\n`));
