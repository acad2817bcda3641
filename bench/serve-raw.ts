/**
 * The ceiling for the mock bench: a bare node:http server that answers fixed JSON bytes per path,
 * keep-alive on, no parsing, no validation. Bodies come as a JSON file `{ "/path": "<body>" }`.
 *
 *   node --import tsx bench/serve-raw.ts <bodies.json>
 *
 * Prints one line `{"port":N}` on stdout when listening on 127.0.0.1.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) throw new Error('usage: serve-raw.ts <bodies.json>');
const bodies = new Map(
  Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>).map(([p, b]) => [p, Buffer.from(b)]),
);
const notFound = Buffer.from('{"success":false}');

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0]!;
  const body = bodies.get(path);
  res.writeHead(body ? 200 : 404, { 'content-type': 'application/json', 'content-length': (body ?? notFound).length });
  res.end(body ?? notFound);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
