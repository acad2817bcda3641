/**
 * Client overhead: the resource-method client (`client.balance.get()`) and the raw typed client
 * (`client.raw.GET('/balance')`) against plain `fetch` + `res.json()`, all against the same local
 * server (a raw node:http child answering the spec's balance example). Sequential calls, run in
 * interleaved chunks, in a fresh seeded order each round, so drift on this shared machine hits every
 * variant alike.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClientOptions } from 'openapi-fetch';
import { GROUP_SIZE } from '../src/client/deadline.ts';
import { prng } from '../test/reliability/fault-proxy.ts';
import { deref } from '../src/mock/spec.ts';
import { root, startJsonPortChild } from './children.ts';
import { fullKey } from './mock-throughput.ts';
import { median, middleHalf, ratio, round } from './stats.ts';

export interface OverheadRow {
  /**
   * `fetch` is the baseline; `raw` and `resource` are the client's two styles. The references show what
   * the client builds on: `fetch-signal` is plain fetch given an AbortSignal (shared by GROUP_SIZE calls, as
   * the client's attempt deadlines share one), the least any call that can be timed out pays; `openapi-fetch` is a
   * bare openapi-fetch client, what the raw style wraps; `openapi-fetch-lean` is that client used as the raw
   * style uses it (no `Request`, a signal), the least a raw call can cost.
   */
  variant: 'fetch' | 'fetch-signal' | 'openapi-fetch' | 'openapi-fetch-lean' | 'raw' | 'resource';
  calls: number;
  /** Median per-call time over the chunks, in microseconds. */
  usPerCall: number;
  /**
   * The median over the rounds of this variant's chunk time over plain fetch's chunk time in the same round:
   * each round runs every variant's chunk back to back, so a load spike or a GC pause that hits one round
   * moves one ratio, not the result. The goal is judged on this.
   */
  vsFetch: number;
  /** The first and third quartiles of those per-round ratios: how far this run's rounds spread. */
  vsFetchMiddleHalf: [number, number];
  /** Total time of this variant over total time of plain fetch, for comparison. */
  vsFetchTotal: number;
}

/** The client's own work per call with `fetch` stubbed out (bench/client-own-work.ts). */
export interface OwnWorkRow {
  variant: 'stub' | 'stub-signal' | 'openapi-fetch' | 'resource' | 'raw';
  usPerCall: number;
}

export interface OverheadOptions {
  callsPerVariant: number;
  chunkSize: number;
  log: (line: string) => void;
}

type Call = () => Promise<unknown>;

/** Seed of the order variants run in, round by round. */
const ORDER_SEED = 2026;

/** The spec's first 200 example for GET `path`, as the JSON bytes a server would send. */
export function specExampleBody(path: string): string {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Json = any;
  const spec: Json = JSON.parse(readFileSync(join(root, 'generated/openapi.json'), 'utf8'));
  const response = deref(spec, spec.paths[path].get.responses['200']);
  const example = deref(spec, Object.values(response.content['application/json'].examples)[0]);
  return JSON.stringify(example.value);
}

/** A signal shared by {@link GROUP_SIZE} calls in turn, as the client's attempt deadlines share one. */
export function sharedSignal(): () => AbortSignal {
  let calls = 0;
  let shared = new AbortController();
  return () => {
    if (++calls % GROUP_SIZE === 0) shared = new AbortController();
    return shared.signal;
  };
}

/** A bare openapi-fetch client of `GET /balance` with the key set, over the runtime's `fetch` unless `options` say otherwise. */
export async function bareOpenapiFetch(baseUrl: string, key: string, options: Pick<ClientOptions, 'fetch' | 'Request'> = {}) {
  const { default: createClient } = await import('openapi-fetch');
  return createClient<{ '/balance': { get: { responses: { 200: { content: { 'application/json': unknown } } } } } }>({
    baseUrl,
    headers: { Authorization: `Bearer ${key}` },
    ...options,
  });
}

/**
 * The least the raw style can cost: a bare openapi-fetch client that, like the raw client, builds no `Request`
 * (openapi-fetch's `Request` option hands on the URL and init as they are) and gives the runtime's `fetch` a
 * signal shared by {@link GROUP_SIZE} calls, as the raw client's attempts share one. openapi-fetch's own work
 * and the signal, without the client's policy.
 */
export function leanOpenapiFetch(baseUrl: string, key: string) {
  const signal = sharedSignal();
  const PlainRequest = Object.assign(
    function (url: string, init: RequestInit & { url?: string }) {
      init.url = url;
      return init;
    },
    { prototype: Request.prototype },
  ) as unknown as typeof Request;
  const send = (init: RequestInit & { url: string }) =>
    fetch(init.url, { method: init.method, headers: init.headers, body: init.body, signal: signal() });
  return bareOpenapiFetch(baseUrl, key, { Request: PlainRequest, fetch: send as unknown as typeof fetch });
}

/**
 * Runs every variant `chunkSize` calls at a time, each once a round, in a fresh order every round (shuffled
 * from a fixed seed, so runs are alike): drift on this shared machine hits every variant alike, and no variant
 * always follows the same one, which would hand it the garbage (and the signals' finalizers) that one leaves
 * behind. Returns each variant's ms per round.
 */
export async function interleave(variants: ReadonlyMap<string, Call>, rounds: number, chunkSize: number): Promise<Map<string, number[]>> {
  const names = [...variants.keys()];
  const ms = new Map<string, number[]>(names.map((n) => [n, []]));
  const random = prng(ORDER_SEED);
  for (let c = 0; c < rounds; c++) {
    const order = [...names];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const name of order) {
      const call = variants.get(name)!;
      const started = performance.now();
      for (let i = 0; i < chunkSize; i++) await call();
      ms.get(name)!.push(performance.now() - started);
    }
  }
  return ms;
}

export function clientAvailable(): boolean {
  return existsSync(join(root, 'src/index.ts'));
}

/** Runs bench/client-own-work.ts in its own process (it replaces the global fetch). */
function measureOwnWork(calls: number): OwnWorkRow[] {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/client-own-work.ts', String(calls)], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (result.status !== 0) throw new Error(`bench/client-own-work.ts failed (${result.status ?? result.signal}):\n${result.stderr.slice(-2_000)}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as OwnWorkRow[];
}

export async function benchClientOverhead(
  options: OverheadOptions,
): Promise<{ rows: OverheadRow[]; ownWork: OwnWorkRow[]; notes: string[] }> {
  const { callsPerVariant, chunkSize, log } = options;
  const notes: string[] = [];
  const key = fullKey();
  const dir = mkdtempSync(join(tmpdir(), 'bench-client-'));
  writeFileSync(join(dir, 'bodies.json'), JSON.stringify({ '/v2/balance': specExampleBody('/balance') }));
  const server = await startJsonPortChild(['bench/serve-raw.ts', join(dir, 'bodies.json')]);
  try {
    const baseUrl = `${server.origin}/v2`;
    const variants = new Map<OverheadRow['variant'], Call>();
    variants.set('fetch', async () => {
      const res = await fetch(`${baseUrl}/balance`, { headers: { Authorization: `Bearer ${key}` } });
      if (!res.ok) throw new Error(`fetch got ${res.status}`);
      return res.json();
    });
    const signal = sharedSignal();
    variants.set('fetch-signal', async () => {
      const res = await fetch(`${baseUrl}/balance`, { headers: { Authorization: `Bearer ${key}` }, signal: signal() });
      if (!res.ok) throw new Error(`fetch got ${res.status}`);
      return res.json();
    });
    for (const [name, made] of [
      ['openapi-fetch', bareOpenapiFetch(baseUrl, key)],
      ['openapi-fetch-lean', leanOpenapiFetch(baseUrl, key)],
    ] as const) {
      const bare = await made;
      variants.set(name, async () => {
        const { error } = await bare.GET('/balance');
        if (error) throw new Error(`${name} got an error`);
      });
    }
    if (clientAvailable()) {
      const mod = (await import(pathToFileURL(join(root, 'src/index.ts')).href)) as Record<string, unknown>;
      const create = mod.createClickAirtimeClient as
        | ((o: { apiKey: string; baseUrl: string }) => {
            balance: { get(): Promise<unknown> };
            raw: { GET(path: '/balance'): Promise<{ error?: unknown; response: Response }> };
          })
        | undefined;
      if (typeof create === 'function') {
        const client = create({ apiKey: key, baseUrl });
        variants.set('raw', async () => {
          const { error } = await client.raw.GET('/balance');
          if (error) throw new Error('raw client got an error');
        });
        variants.set('resource', () => client.balance.get());
      } else {
        notes.push('src/index.ts does not export createClickAirtimeClient yet: client rows are missing');
      }
    } else {
      notes.push('the client (src/index.ts) does not exist yet: client rows are missing');
    }

    // Warm-up: JIT, keep-alive sockets, lazy module paths.
    for (const call of variants.values()) for (let i = 0; i < 1_000; i++) await call();

    const names = [...variants.keys()];
    const chunks = Math.ceil(callsPerVariant / chunkSize);
    const ms = await interleave(variants, chunks, chunkSize);
    const total = (name: string): number => ms.get(name)!.reduce((a, b) => a + b, 0);
    // Each round's time over plain fetch's in the same round.
    const perRound = (name: string): number[] => ms.get(name)!.map((x, c) => x / ms.get('fetch')![c]!);
    const rows = names.map((name) => {
      const ratios = perRound(name);
      return {
        variant: name,
        calls: chunks * chunkSize,
        usPerCall: round(median(ms.get(name)!.map((x) => (x * 1000) / chunkSize)), 1),
        vsFetch: round(median(ratios), 3),
        vsFetchMiddleHalf: middleHalf(ratios, 3),
        vsFetchTotal: ratio(total(name), total('fetch'), 3),
      };
    });
    for (const r of rows) {
      log(`${r.variant.padEnd(13)} ${r.calls} calls, ${r.usPerCall} µs/call, ${r.vsFetch}× fetch (median of rounds, middle half ${r.vsFetchMiddleHalf.join('–')}×; ${r.vsFetchTotal}× in total)`);
    }
    const ownWork = clientAvailable() ? measureOwnWork(callsPerVariant) : [];
    for (const r of ownWork) log(`own work, fetch stubbed: ${r.variant.padEnd(11)} ${r.usPerCall} µs/call`);
    return { rows, ownWork, notes };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
