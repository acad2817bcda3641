/**
 * A fault-injecting HTTP proxy on loopback for the exactly-once test. For each request it draws a
 * fault from a seeded generator (so a run can be replayed), then either relays it faithfully or:
 *
 * - `drop`: forwards the request, waits for the upstream's full answer, then destroys the
 *   client's connection without a byte: the work was done, the answer is lost;
 * - `delay-response`: forwards at once but holds the answer for `delayMs` (past the client's
 *   timeout) before relaying it to a client that has usually given up;
 * - `delay-request`: holds the request for `delayMs`, then forwards it anyway, even if the client
 *   has gone: a late duplicate racing the client's own retry;
 * - `answer-429` / `answer-503`: answers itself without forwarding (a gateway's rate limit or
 *   outage), in the API's error envelope or, for 503, sometimes as an HTML page.
 *
 * `idle()` resolves once nothing is in flight, delayed forwards included, so a test can count what
 * reached the upstream only after every request has landed.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const FAULTS = ['pass', 'drop', 'delay-response', 'delay-request', 'answer-429', 'answer-503'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultProxyOptions {
  /** Upstream origin, e.g. `http://127.0.0.1:4010`. */
  target: string;
  seed: number;
  /** Relative weight of each fault; `pass` is the fault-free share. */
  weights: Record<Fault, number>;
  /** How long the delaying faults wait: longer than the client's per-attempt timeout. */
  delayMs: number;
}

export interface FaultProxy {
  url: string;
  /** How many times each fault was applied. */
  counts: Record<Fault, number>;
  /** Every request seen, in arrival order. */
  log: { method: string; path: string; fault: Fault }[];
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host']);

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

function envelope(code: string, message: string): string {
  const id = `req_proxy${Math.random().toString(36).slice(2, 8)}`;
  return JSON.stringify({ success: false, error: { code, message, details: {} }, meta: { request_id: id, timestamp: new Date().toISOString() } });
}

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const { target, seed, weights, delayMs } = options;
  const random = prng(seed);
  const total = FAULTS.reduce((a, f) => a + weights[f], 0);
  const draw = (): Fault => {
    let x = random() * total;
    for (const f of FAULTS) {
      x -= weights[f];
      if (x < 0) return f;
    }
    return 'pass';
  };
  const upstream = new URL(target);
  const counts = Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>;
  const log: FaultProxy['log'] = [];
  const inFlight = new Set<Promise<unknown>>();
  const sockets = new Set<Socket>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const forward = (method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      const r = request(
        { host: upstream.hostname, port: upstream.port, method, path, headers: { ...forwardable(headers), 'content-length': String(body.length) }, timeout: 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      r.on('timeout', () => r.destroy(new Error('upstream timeout')));
      r.on('error', reject);
      r.end(body);
    });

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const fault = draw();
      counts[fault]++;
      log.push({ method, path, fault });
      const relay = (u: Upstream): void => {
        if (res.destroyed || res.writableEnded) return;
        res.writeHead(u.status, forwardable(u.headers));
        res.end(u.body);
      };
      const handled = (async () => {
        switch (fault) {
          case 'answer-429': {
            const text = envelope('RATE_LIMIT_EXCEEDED', 'Rate limit exceeded at the gateway.');
            res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0', 'content-length': Buffer.byteLength(text) });
            res.end(text);
            return;
          }
          case 'answer-503': {
            const html = random() < 0.5;
            const text = html ? '<html><body><h1>503 Service Unavailable</h1></body></html>' : envelope('INTERNAL_ERROR', 'Service unavailable at the gateway.');
            res.writeHead(503, { 'content-type': html ? 'text/html' : 'application/json', 'content-length': Buffer.byteLength(text) });
            res.end(text);
            return;
          }
          case 'drop': {
            await forward(method, path, req.headers, body);
            req.socket.destroy();
            return;
          }
          case 'delay-response': {
            const u = await forward(method, path, req.headers, body);
            await sleep(delayMs);
            relay(u);
            return;
          }
          case 'delay-request': {
            await sleep(delayMs);
            relay(await forward(method, path, req.headers, body));
            return;
          }
          default:
            relay(await forward(method, path, req.headers, body));
        }
      })().catch(() => {
        // The upstream failed: the client sees a dropped connection, as it would through a real proxy.
        req.socket.destroy();
      });
      void track(handled);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const idle = async (): Promise<void> => {
    // Bounded: every forward has its own 30 s timeout; loop in case more arrived meanwhile.
    for (let i = 0; i < 100 && inFlight.size > 0; i++) await Promise.allSettled([...inFlight]);
  };
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    log,
    idle,
    async close() {
      await idle();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
