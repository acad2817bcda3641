/**
 * The project's mock as a child process for the bench, so it is measured like bare Prism (its
 * own process and event loop). Every gate stays on: route match, auth and scope, rate limiting,
 * request validation. The rate limits are raised so that counting and the X-RateLimit-* headers
 * still happen on every request but a benchmark's 100,000 reads a minute are not answered 429.
 *
 *   node --import tsx bench/serve-mock.ts
 *
 * Prints one line `{"port":N}` on stdout when listening on 127.0.0.1.
 */
import { startMockServer } from '../src/mock/server.ts';

const LIMIT = 1_000_000_000;
const server = await startMockServer({
  host: '127.0.0.1',
  port: 0,
  rateLimits: { read: LIMIT, write: LIMIT, topup: LIMIT, lookup: LIMIT },
});
console.log(JSON.stringify({ port: server.port }));
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
