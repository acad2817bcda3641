/**
 * Load soak: 20,000+ requests at 50 concurrent connections (autocannon) against a mock in its own
 * process, every gate on. Every request has the status it must get; afterwards there must be no
 * transport error, no unexpected status, and the mock's memory (after a forced GC) must not have
 * grown past a bound. The figures are printed; nothing here depends on wall-clock speed.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../support/spec.ts';

const REQUESTS = 20_000;
const CONNECTIONS = 50;
/** Heap growth (after GC) allowed over the soak: far above a healthy run, far below a per-request leak. */
const HEAP_GROWTH_LIMIT = 32 * 1024 * 1024;
const RSS_GROWTH_LIMIT = 128 * 1024 * 1024;

interface Memory {
  rss: number;
  heapUsed: number;
  gc: boolean;
}

const fullKey = (
  JSON.parse(readFileSync(`${root}src/mock/sandbox-keys.json`, 'utf8')) as { keys: { name: string; key: string }[] }
).keys.find((k) => k.name === 'full')!.key;

describe('the mock under a load soak', () => {
  let child: ChildProcess;
  let lines: Interface;
  let origin = '';
  const next = (): Promise<string> => new Promise((resolve) => lines.once('line', resolve));
  const memory = async (): Promise<Memory> => {
    const answer = next();
    child.stdin!.write('mem\n');
    return JSON.parse(await answer) as Memory;
  };

  beforeAll(async () => {
    child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/reliability/mock-child.ts'], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    lines = createInterface({ input: child.stdout! });
    const first = await Promise.race([
      next(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('mock child did not start in 60 s')), 60_000)),
    ]);
    origin = `http://127.0.0.1:${(JSON.parse(first) as { port: number }).port}`;
  });

  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin!.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  });

  it(`serves ${REQUESTS} requests at ${CONNECTIONS} connections with no transport error, no unexpected status and bounded memory`, async () => {
    const auth = { authorization: `Bearer ${fullKey}` };
    const unexpected: string[] = [];
    let unexpectedCount = 0;
    const expecting = (status: number, path: string, headers: Record<string, string> = auth, method = 'GET', body?: string) => ({
      method,
      path,
      headers: body ? { ...headers, 'content-type': 'application/json' } : headers,
      ...(body && { body }),
      onResponse: (got: number) => {
        if (got === status) return;
        unexpectedCount++;
        if (unexpected.length < 20) unexpected.push(`${method} ${path}: ${got}, expected ${status}`);
      },
    });
    // Mostly successful reads across the operations, with the common refusals mixed in.
    const requests = [
      expecting(200, '/v2/balance'),
      expecting(200, '/v2/catalog/networks'),
      expecting(200, '/v2/catalog/countries'),
      expecting(200, '/v2/catalog/lookup?phone_number=%2B233541112259'),
      expecting(200, '/v2/catalog/products?network_id=22'),
      expecting(200, '/v2/topups?per_page=5'),
      expecting(200, '/v2/balance'),
      expecting(401, '/v2/balance', {}),
      expecting(400, '/v2/catalog/lookup?phone_number=not-a-number'),
      expecting(404, '/v2/no-such-route'),
      // A create that fails validation: body parsing and Ajv under load, without growing the sandbox.
      expecting(400, '/v2/topups', auth, 'POST', JSON.stringify({ phone_number: '+233541112259', network_id: 22 })),
    ];
    const run = (amount: number) => autocannon({ url: origin, connections: CONNECTIONS, amount, timeout: 10, requests });

    await run(2_000); // warm-up: JIT, sockets, lazily built validators
    const before = await memory();
    const result = await run(REQUESTS);
    const after = await memory();

    const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([s, v]) => [s, v.count]));
    const heapGrowth = after.heapUsed - before.heapUsed;
    const rssGrowth = after.rss - before.rss;
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    console.info(
      `load soak: ${result.requests.total} requests, ${CONNECTIONS} connections, ${Math.round(result.requests.average)} req/s avg, p99 ${result.latency.p99} ms; ` +
        `statuses ${JSON.stringify(statuses)}; errors ${result.errors}, timeouts ${result.timeouts}, resets ${result.resets}; ` +
        `mock heap after GC ${mb(before.heapUsed)} → ${mb(after.heapUsed)} (${mb(heapGrowth)}), rss ${mb(before.rss)} → ${mb(after.rss)} (${mb(rssGrowth)})`,
    );

    expect(result.requests.total).toBeGreaterThanOrEqual(REQUESTS);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.resets).toBe(0);
    expect(unexpected).toEqual([]);
    expect(unexpectedCount).toBe(0);
    expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBe(result.requests.total);
    expect(after.gc).toBe(true);
    expect(heapGrowth).toBeLessThan(HEAP_GROWTH_LIMIT);
    expect(rssGrowth).toBeLessThan(RSS_GROWTH_LIMIT);
  }, 300_000);
});
