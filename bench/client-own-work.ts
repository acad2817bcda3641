/**
 * The client's own work per call, without a network: the runtime's `fetch` is replaced, before the client is
 * loaded, by a stub that answers the balance example at once (a response-shaped object), so the client treats it as the runtime's own
 * (trusted with the signal, not raced), exactly as it treats the real one. The stub called directly (with
 * and without a signal shared as the client's deadlines share one) is the baseline. Runs in its own
 * process, so the stub never stands in for anyone else's fetch.
 *
 *   node --import tsx bench/client-own-work.ts <callsPerVariant>
 *
 * Prints one JSON line: `[{ "variant": ..., "usPerCall": ... }]`, the median of interleaved rounds.
 */
import { bareOpenapiFetch, interleave, sharedSignal, specExampleBody } from './client-overhead.ts';
import { fullKey } from './mock-throughput.ts';
import { median, round } from './stats.ts';

const calls = Number(process.argv[2] ?? 20_000);
const body = specExampleBody('/balance');
const key = fullKey();
const baseUrl = 'http://127.0.0.1:9/v2';
// A fresh response-shaped object per call, not a `Response`: building a real one (its headers, its body
// stream) costs more than the client's whole call and varies with the garbage collector, which would bury
// what is measured here. It has what the client and openapi-fetch read.
const headers = new Headers({ 'content-type': 'application/json' });
const stub = async (_url: string | URL | Request, _init?: RequestInit): Promise<Response> =>
  ({
    ok: true,
    status: 200,
    headers,
    text: async () => body,
    json: async () => JSON.parse(body) as unknown,
  }) as Response;
globalThis.fetch = stub as typeof fetch;
const { createClickAirtimeClient } = await import('../src/index.ts');
const client = createClickAirtimeClient({ apiKey: key, baseUrl });
// A bare openapi-fetch client over the same stub: the share of the raw style that is openapi-fetch's own.
const bare = await bareOpenapiFetch(baseUrl, key, { fetch: (request) => stub(request) });

const signal = sharedSignal();
const variants = new Map<string, () => Promise<unknown>>([
  ['stub', async () => (await stub(`${baseUrl}/balance`, { headers: { Authorization: `Bearer ${key}` } })).json()],
  ['stub-signal', async () => (await stub(`${baseUrl}/balance`, { headers: { Authorization: `Bearer ${key}` }, signal: signal() })).json()],
  ['openapi-fetch', () => bare.GET('/balance')],
  ['resource', () => client.balance.get()],
  ['raw', () => client.raw.GET('/balance')],
]);
for (const call of variants.values()) for (let i = 0; i < 2_000; i++) await call();
const chunk = 500;
const ms = await interleave(variants, Math.ceil(calls / chunk), chunk);
console.log(
  JSON.stringify([...ms].map(([variant, xs]) => ({ variant, usPerCall: round(median(xs.map((x) => (x * 1000) / chunk)), 2) }))),
);
