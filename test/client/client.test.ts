import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ClickAirtimeError,
  createClickAirtimeClient,
  DuplicateTransactionError,
  NetworkError,
  ServerError,
  type ClickAirtimeClient,
} from '../../src/index.ts';
import { BASE_URL, KEY, TOPUP_ID, fail, ok, scriptedFetch, topup } from './fixtures.ts';

const body = { phone_number: '+233541112259', network_id: 22, amount: { value: 50, currency: 'GHS' } };
const pagination = (page: number, totalPages: number, perPage = 100) => ({
  page,
  per_page: perPage,
  total: totalPages * perPage,
  total_pages: totalPages,
  has_next: page < totalPages,
  has_prev: page > 1,
});

function setup(...steps: Parameters<typeof scriptedFetch>) {
  const { fetch, requests } = scriptedFetch(...steps);
  const client = createClickAirtimeClient({ apiKey: KEY, baseUrl: BASE_URL, fetch });
  return { client, requests };
}

describe('createClickAirtimeClient', () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each([
    ['too short', 'ce_live_abc', 'ce_live_****'],
    ['another prefix', `sk_live_${'a'.repeat(28)}9f3a`, 'ce_live_****9f3a'],
    ['a character outside [A-Za-z0-9]', `ce_live_${'a'.repeat(31)}-`, 'ce_live_****aaa-'],
    ['one character too many', `${KEY}Z`, 'ce_live_****y4zZ'],
  ])('refuses a key that is %s, showing it only redacted', (_name, apiKey, shown) => {
    const make = () => createClickAirtimeClient({ apiKey });
    expect(make).toThrow(TypeError);
    expect(make).toThrow(`Malformed Click Airtime API key ${shown}: expected ce_live_ and 32 letters or digits`);
  });

  it('reads the key from CLICKAIRTIME_API_KEY when none is passed', async () => {
    vi.stubEnv('CLICKAIRTIME_API_KEY', KEY);
    const { fetch, requests } = scriptedFetch(ok({}));
    await createClickAirtimeClient({ fetch }).balance.get();
    expect(requests[0]?.headers.get('Authorization')).toBe(`Bearer ${KEY}`);
    expect(requests[0]?.url).toBe('https://api.clickairtime.com/v2/balance');
  });

  it('says how to give a key when there is none', () => {
    vi.stubEnv('CLICKAIRTIME_API_KEY', undefined);
    expect(() => createClickAirtimeClient()).toThrow('No Click Airtime API key: pass apiKey or set CLICKAIRTIME_API_KEY');
  });

  it('shows itself redacted to JSON.stringify, String and util.inspect', () => {
    const { client } = setup();
    const shown = 'ClickAirtimeClient {"baseUrl":"https://api.test/v2","apiKey":"ce_live_****Xy4z"}';
    expect(JSON.stringify(client)).toBe('{"baseUrl":"https://api.test/v2","apiKey":"ce_live_****Xy4z"}');
    expect(String(client)).toBe(shown);
    expect(inspect(client)).toBe(shown);
    expect(inspect(client, { customInspect: false, showHidden: true, depth: 5 })).not.toContain(KEY.slice(8));
  });

  it.each([
    ['timeoutMs', 0, 'timeoutMs must be a number from 1 to 2147483647, not 0'],
    // Longer than a timer can wait: it would fire at once, timing out every attempt.
    ['timeoutMs', 3_000_000_000, 'timeoutMs must be a number from 1 to 2147483647, not 3000000000'],
    ['timeoutMs', Number.POSITIVE_INFINITY, 'timeoutMs must be a number from 1 to 2147483647, not Infinity'],
    ['timeoutMs', '30s', 'timeoutMs must be a number from 1 to 2147483647, not 30s'],
    ['maxRetries', -1, 'maxRetries must be a number from 0 to 2147483647, whole, not -1'],
    ['maxRetries', 1.5, 'maxRetries must be a number from 0 to 2147483647, whole, not 1.5'],
    ['maxRetries', Number.NaN, 'maxRetries must be a number from 0 to 2147483647, whole, not NaN'],
    ['baseDelayMs', -100, 'baseDelayMs must be a number from 0 to 2147483647, not -100'],
    ['maxRetryAfterMs', Number.POSITIVE_INFINITY, 'maxRetryAfterMs must be a number from 0 to 2147483647, not Infinity'],
  ])('refuses %s: %s with a RangeError naming it', (name, value, message) => {
    const make = () => createClickAirtimeClient({ apiKey: KEY, [name]: value });
    expect(make).toThrow(RangeError);
    expect(make).toThrow(message);
  });

  it('takes 0 retries and the largest timer delay, and null as the default', async () => {
    const { fetch, requests } = scriptedFetch(fail(503, 'INTERNAL_ERROR'), ok({}));
    const client = createClickAirtimeClient({ apiKey: KEY, baseUrl: BASE_URL, fetch, maxRetries: 0, timeoutMs: 2 ** 31 - 1 });
    await expect(client.balance.get()).rejects.toThrow(ServerError);
    expect(requests).toHaveLength(1);
    // @ts-expect-error: null from untyped callers means "the default", as undefined does.
    expect(() => createClickAirtimeClient({ apiKey: KEY, maxRetries: null })).not.toThrow();
  });

  it('checks a call’s own settings too, rejecting before anything is sent', async () => {
    const { client, requests } = setup(ok({}));
    await expect(client.balance.get({ timeoutMs: -1 })).rejects.toThrow('timeoutMs must be a number from 1 to 2147483647, not -1');
    await expect(client.topups.list({}, { maxRetries: 0.5 })).rejects.toThrow(RangeError);
    expect(requests).toHaveLength(0);
  });

  it('uses the global fetch of the moment when none is injected', async () => {
    const { fetch, requests } = scriptedFetch(ok({}));
    const client = createClickAirtimeClient({ apiKey: KEY, baseUrl: BASE_URL });
    vi.stubGlobal('fetch', fetch);
    try {
      await client.balance.get();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(requests).toHaveLength(1);
  });
});

describe('the resource methods', () => {
  type Call = (client: ClickAirtimeClient) => Promise<{ data: unknown }>;
  const cases: [string, Call, string][] = [
    ['catalog.lookup', (c) => c.catalog.lookup({ phone_number: '+233541112259' }), 'GET /catalog/lookup?phone_number=%2B233541112259'],
    ['catalog.lookup by network', (c) => c.catalog.lookup({ network_id: 22 }), 'GET /catalog/lookup?network_id=22'],
    ['catalog.countries', (c) => c.catalog.countries(), 'GET /catalog/countries'],
    ['catalog.networks', (c) => c.catalog.networks(), 'GET /catalog/networks'],
    ['catalog.networks of a country', (c) => c.catalog.networks({ country_code: 'GH' }), 'GET /catalog/networks?country_code=GH'],
    ['catalog.products', (c) => c.catalog.products({ network_id: 22 }), 'GET /catalog/products?network_id=22'],
    ['topups.create', (c) => c.topups.create(body), 'POST /topups'],
    [
      'topups.list',
      (c) => c.topups.list({ status: 'completed', phone_number: '+233', sort: '-total_usd', page: 2 }),
      'GET /topups?status=completed&phone_number=%2B233&sort=-total_usd&page=2',
    ],
    ['topups.get', (c) => c.topups.get(TOPUP_ID), `GET /topups/${TOPUP_ID}`],
    ['balance.get', (c) => c.balance.get(), 'GET /balance'],
    ['balance.getWallet', (c) => c.balance.getWallet('wal_ghs_001'), 'GET /balance/wal_ghs_001'],
  ];

  it.each(cases.map(([name, call, sent]) => [name, sent, call] as const))(
    '%s sends %s and returns the envelope’s data, meta and rate limit',
    async (_name, sent, call) => {
    const data = { marker: 'data' };
    const { client, requests } = setup(ok(data, { meta: { pagination: pagination(1, 1) } }));
    const result = await call(client);
    const request = requests[0]!;
    expect(`${request.method} ${request.url.slice(BASE_URL.length)}`).toBe(sent);
    expect(result).toMatchObject({
      data,
      meta: { request_id: 'req_7k2m9x4p1q8z', timestamp: '2026-03-14T09:26:53.589Z' },
      rateLimit: { limit: 300, remaining: 299, reset: 1773480480 },
    });
    expect(client.rateLimit).toEqual({ limit: 300, remaining: 299, reset: 1773480480 });
    },
  );

  it('keeps the latest rate-limit headers seen, errors included', async () => {
    const { client } = setup(
      ok({}),
      fail(400, 'INVALID_PHONE_NUMBER', { headers: { 'X-RateLimit-Remaining': '17' } }),
    );
    await client.balance.get();
    await expect(client.catalog.lookup({ phone_number: '+1' })).rejects.toThrow();
    expect(client.rateLimit?.remaining).toBe(17);
  });

  it('throws INVALID_RESPONSE when a 200 is not the API’s envelope', async () => {
    const { client } = setup(new Response('<html>captive portal</html>', { status: 200 }));
    const error = await client.balance.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickAirtimeError);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 200 });
    expect((error as Error).message).toBe(`GET ${BASE_URL}/balance: 200 INVALID_RESPONSE unexpected 200 response`);
  });

  it('throws ServerError with INVALID_RESPONSE for a proxy’s HTML 5xx, after retrying it', async () => {
    const html = () => new Response('<html>Bad gateway</html>', { status: 502 });
    const { fetch, requests } = scriptedFetch(html, html);
    const client = createClickAirtimeClient({ apiKey: KEY, baseUrl: BASE_URL, fetch, maxRetries: 1, baseDelayMs: 0 });
    const error = await client.balance.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 502 });
    expect(requests).toHaveLength(2);
  });

  it('leaves the raw client’s answers as values: data, error and response', async () => {
    const { client } = setup(ok({ id: 'wal_ghs_001' }), fail(404, 'TRANSACTION_NOT_FOUND', { details: { resource: 'wallet' } }));
    const found = await client.raw.GET('/balance/{wallet_id}', { params: { path: { wallet_id: 'wal_ghs_001' } } });
    expect(found.data?.data).toEqual({ id: 'wal_ghs_001' });
    const missing = await client.raw.GET('/balance/{wallet_id}', { params: { path: { wallet_id: 'wal_xxx' } } });
    expect(missing.error?.error).toMatchObject({ code: 'TRANSACTION_NOT_FOUND', details: { resource: 'wallet' } });
    expect(missing.response.status).toBe(404);
  });
});

describe('the URLs the resource methods build', () => {
  it('match the raw client’s: path segments and query values percent-encoded, unset values left out', async () => {
    const { client, requests } = setup(ok({}), ok({}), ok([]), ok([]));
    const awkward = 'a b/c+d?é';
    await client.topups.get(awkward);
    await client.raw.GET('/topups/{id}', { params: { path: { id: awkward } } });
    const query = { phone_number: '+233 54&1', status: undefined, reference: 'x=y', page: 2 };
    await client.topups.list(query);
    await client.raw.GET('/topups', { params: { query } });
    const [resourceGet, rawGet, resourceList, rawList] = requests.map((r) => r.url);
    expect(resourceGet).toBe(rawGet);
    expect(resourceGet).toBe(`${BASE_URL}/topups/a%20b%2Fc%2Bd%3F%C3%A9`);
    expect(resourceList).toBe(rawList);
    expect(resourceList).toBe(`${BASE_URL}/topups?phone_number=%2B233%2054%261&reference=x%3Dy&page=2`);
  });

  it('drop a trailing slash of baseUrl', async () => {
    const { fetch, requests } = scriptedFetch(ok({}), ok({}));
    const client = createClickAirtimeClient({ apiKey: KEY, baseUrl: `${BASE_URL}/`, fetch });
    await client.balance.get();
    await client.raw.GET('/balance');
    expect(requests.map((r) => r.url)).toEqual([`${BASE_URL}/balance`, `${BASE_URL}/balance`]);
  });
});

describe('the raw client', () => {
  it('runs openapi-fetch middleware: a header it sets is sent, and a Request it swaps in is sent with its body', async () => {
    const { client, requests } = setup(ok(topup), ok(topup));
    let seen: Request | undefined;
    const tag = {
      onRequest: ({ request }: { request: Request }) => {
        request.headers.set('X-Trace', 'one');
        seen = request;
      },
    };
    client.raw.use(tag);
    await client.raw.GET('/balance');
    client.raw.eject(tag);
    const swap = {
      onRequest: ({ request }: { request: Request }) =>
        new Request(request.url, { method: 'POST', headers: request.headers, body: JSON.stringify({ ...body, reference: 'swapped' }) }),
    };
    client.raw.use(swap);
    await client.raw.POST('/topups', { body });
    client.raw.eject(swap);
    expect(requests[0]!.headers.get('X-Trace')).toBe('one');
    expect([seen?.method, seen?.url]).toEqual(['GET', `${BASE_URL}/balance`]);
    expect(requests[0]!.headers.get('Authorization')).toBe(`Bearer ${KEY}`);
    expect(await requests[1]!.json()).toEqual({ ...body, reference: 'swapped' });
    expect(requests[1]!.headers.get('Idempotency-Key')).toBeTruthy();
  });

  it('gives middleware a real Request (body readable), registered with use() or passed for one call', async () => {
    const { client, requests } = setup(ok(topup), ok(topup), ok({}));
    const bodies: unknown[] = [];
    const reader = {
      onRequest: async ({ request }: { request: Request }) => {
        expect(request).toBeInstanceOf(Request);
        bodies.push(await request.clone().json());
      },
    };
    client.raw.use(reader);
    await client.raw.POST('/topups', { body });
    client.raw.eject(reader);
    await client.raw.POST('/topups', { body: { ...body, reference: 'per-call' }, middleware: [reader] });
    // Ejected, so it no longer runs.
    await client.raw.GET('/balance');
    expect(bodies).toEqual([body, { ...body, reference: 'per-call' }]);
    expect(await requests[0]!.json()).toEqual(body);
    expect(await requests[1]!.json()).toEqual({ ...body, reference: 'per-call' });
    expect(requests).toHaveLength(3);
  });

  it('hands back a response whose body reads as the parsed data, the key scrubbed', async () => {
    const { client } = setup(ok({ echoed: KEY }));
    const { data, response } = await client.raw.GET('/balance');
    expect(JSON.stringify(data)).not.toContain(KEY.slice(8));
    expect(await response.json()).toEqual(data);
    expect(await response.text()).not.toContain(KEY.slice(8));
  });
});

describe('topups.create', () => {
  beforeEach(() => vi.spyOn(Math, 'random').mockReturnValue(0));
  afterEach(() => vi.restoreAllMocks());

  it('sends the caller’s Idempotency-Key and returns it', async () => {
    const { client, requests } = setup(ok(topup, { status: 201 }));
    const result = await client.topups.create(body, { idempotencyKey: 'order-2026-0001' });
    expect(requests[0]?.headers.get('Idempotency-Key')).toBe('order-2026-0001');
    expect(result).toMatchObject({ data: topup, idempotencyKey: 'order-2026-0001', replayed: false });
  });

  it('generates a different key for each call', async () => {
    const { client } = setup(ok(topup, { status: 201 }), ok(topup, { status: 201 }));
    const a = await client.topups.create(body);
    const b = await client.topups.create(body);
    expect(a.idempotencyKey).not.toBe(b.idempotencyKey);
  });

  it.each([
    ['a network error', new TypeError('fetch failed')],
    ['a 500', fail(500, 'INTERNAL_ERROR')],
  ])(
    'returns the top-up its first attempt made when that answer was lost to %s and the retry gets 409',
    async (_name, lost) => {
      const existing = { ...topup, status: 'processing' as const };
      const { client, requests } = setup(
        lost,
        fail(409, 'DUPLICATE_TRANSACTION', { details: { existing_topup_id: TOPUP_ID }, requestId: 'req_conflict0001' }),
        ok(existing, { meta: { request_id: 'req_lookup000001' } }),
      );
      const result = await client.topups.create(body, { idempotencyKey: 'order-7' });
      expect(result).toMatchObject({ data: existing, replayed: true, idempotencyKey: 'order-7' });
      expect(result.meta.request_id).toBe('req_lookup000001');
      expect(requests.map((r) => `${r.method} ${r.url.slice(BASE_URL.length)}`)).toEqual([
        'POST /topups',
        'POST /topups',
        `GET /topups/${TOPUP_ID}`,
      ]);
      expect(requests[2]?.headers.get('Authorization')).toBe(`Bearer ${KEY}`);
      expect(requests[2]?.headers.has('Idempotency-Key')).toBe(false);
    },
  );

  it('throws DuplicateTransactionError, naming the existing top-up, when the first attempt gets 409', async () => {
    const { client, requests } = setup(fail(409, 'DUPLICATE_TRANSACTION', { details: { existing_topup_id: TOPUP_ID } }));
    const error = await client.topups.create(body, { idempotencyKey: 'reused' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateTransactionError);
    expect(error).toMatchObject({ existingTopupId: TOPUP_ID, idempotencyKey: 'reused', status: 409 });
    expect(requests).toHaveLength(1);
  });

  it('lets the 409 stand when the only earlier attempt was refused with 429, which did nothing', async () => {
    const { client, requests } = setup(
      fail(429, 'RATE_LIMIT_EXCEEDED', { headers: { 'Retry-After': '0' } }),
      fail(409, 'DUPLICATE_TRANSACTION', { details: { existing_topup_id: TOPUP_ID } }),
    );
    const error = await client.topups.create(body, { idempotencyKey: 'used-yesterday' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateTransactionError);
    expect(error).toMatchObject({ existingTopupId: TOPUP_ID, idempotencyKey: 'used-yesterday' });
    expect(requests).toHaveLength(2);
  });

  it('lets the 409 stand when the top-up it names is for another phone number', async () => {
    const { client, requests } = setup(
      new TypeError('fetch failed'),
      fail(409, 'DUPLICATE_TRANSACTION', { details: { existing_topup_id: TOPUP_ID } }),
      ok({ ...topup, phone_number: '+254712345678' }),
    );
    const error = await client.topups.create(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateTransactionError);
    expect((error as DuplicateTransactionError).existingTopupId).toBe(TOPUP_ID);
    expect(requests).toHaveLength(3);
  });

  it('lets the 409 stand when the lookup of the existing top-up fails', async () => {
    const refused = new TypeError('fetch failed');
    const { client } = setup(
      refused,
      fail(409, 'DUPLICATE_TRANSACTION', { details: { existing_topup_id: TOPUP_ID } }),
      refused,
      refused,
      refused,
    );
    const error = await client.topups.create(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateTransactionError);
    expect((error as DuplicateTransactionError).existingTopupId).toBe(TOPUP_ID);
  });

  it('puts the Idempotency-Key it sent on a transport error, so the caller can retry exactly-once', async () => {
    const refused = new TypeError('fetch failed');
    const { client, requests } = setup(refused, refused, refused);
    const error = await client.topups.create(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).idempotencyKey).toBe(requests[0]?.headers.get('Idempotency-Key'));
  });
});

describe('topups.listAll', () => {
  const item = (n: number) => ({ ...topup, id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` });

  it('walks every page, 100 a page by default, keeping the filters', async () => {
    const { client, requests } = setup(
      ok([item(1), item(2)], { meta: { pagination: pagination(1, 3) } }),
      ok([item(3)], { meta: { pagination: pagination(2, 3) } }),
      ok([item(4)], { meta: { pagination: pagination(3, 3) } }),
    );
    const ids: string[] = [];
    for await (const t of client.topups.listAll({ status: 'failed' })) ids.push(t.id);
    expect(ids).toEqual([1, 2, 3, 4].map((n) => item(n).id));
    expect(requests.map((r) => new URL(r.url).search)).toEqual([
      '?per_page=100&status=failed&page=1',
      '?per_page=100&status=failed&page=2',
      '?per_page=100&status=failed&page=3',
    ]);
  });

  it('yields once a top-up that moved to the next page while iterating', async () => {
    const { client } = setup(
      ok([item(1), item(2)], { meta: { pagination: pagination(1, 2, 2) } }),
      ok([item(2), item(3)], { meta: { pagination: pagination(2, 2, 2) } }),
    );
    const ids: string[] = [];
    for await (const t of client.topups.listAll({ per_page: 2 })) ids.push(t.id);
    expect(ids).toEqual([1, 2, 3].map((n) => item(n).id));
  });

  it('stops on an empty page even if has_next says otherwise', async () => {
    const { client, requests } = setup(ok([], { meta: { pagination: { ...pagination(1, 1), has_next: true } } }));
    const all = [];
    for await (const t of client.topups.listAll()) all.push(t);
    expect(all).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('fetches no further page when the caller stops early', async () => {
    const { client, requests } = setup(ok([item(1), item(2)], { meta: { pagination: pagination(1, 5) } }));
    for await (const t of client.topups.listAll()) {
      expect(t.id).toBe(item(1).id);
      break;
    }
    expect(requests).toHaveLength(1);
  });
});
