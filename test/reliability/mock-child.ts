/**
 * A sandbox mock in a child process, for the load soak: the load generator and the server then
 * have separate event loops and the memory figures are the mock's alone. Rate limits stay on but
 * high. Writes `{"port":N}` when listening; on a `mem` line on stdin it collects garbage (run with
 * --expose-gc) and writes `{"rss":…,"heapUsed":…}` in bytes.
 */
import { createInterface } from 'node:readline';
import { startMockServer } from '../../src/mock/server.ts';

const LIMIT = 1_000_000_000;
const server = await startMockServer({
  port: 0,
  delays: { processingMs: 50, completionMs: 50 },
  rateLimits: { read: LIMIT, write: LIMIT, topup: LIMIT, lookup: LIMIT },
});
console.log(JSON.stringify({ port: server.port }));

const gc = (globalThis as { gc?: () => void }).gc;
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'mem') return;
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  console.log(JSON.stringify({ rss, heapUsed, gc: Boolean(gc) }));
});
// The parent going away (stdin closed) ends the child too, so it can never outlive a test run.
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
