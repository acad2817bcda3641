import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createClickAirtimeClient,
  DEFAULTS,
  InvalidRequestError,
  NetworkError,
  RateLimitError,
  ServerError,
  TimeoutError,
  type AttemptEvent,
  type ClickAirtimeClientOptions,
} from '../../src/index.ts';
import { BASE_URL, KEY, fail, ok, scriptedFetch, topup } from './fixtures.ts';

const body = { phone_number: '+233541112259', network_id: 22, amount: { value: 50, currency: 'GHS' } };
const balance = { available_balance: { amount: 1, currency: 'USD' }, wallets: [] };

function setup(steps: Parameters<typeof scriptedFetch>, options: ClickAirtimeClientOptions = {}) {
  const { fetch, requests } = scriptedFetch(...steps);
  const events: AttemptEvent[] = [];
  const client = createClickAirtimeClient({
    apiKey: KEY,
    baseUrl: BASE_URL,
    fetch,
    onAttempt: (event) => events.push(event),
    ...options,
  });
  return { client, requests, events };
}

/** Settles a promise into a value or its rejection, so timers can run without unhandled rejections. */
function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/** A fetch step that never answers, and ignores the abort signal too. */
const hang = () => new Promise<Response>(() => {});

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the retry policy', () => {
  it('has its defaults in one object: 2 retries, 30 s per attempt, 500 ms doubling to 8 s, Retry-After up to 60 s', () => {
    expect(DEFAULTS).toEqual({ timeoutMs: 30_000, maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 });
  });

  it('retries a 500 twice with full-jitter backoff, then returns the success', async () => {
    const { client, requests, events } = setup([fail(500, 'INTERNAL_ERROR'), fail(500, 'INTERNAL_ERROR'), ok(balance)]);
    const pending = settle(client.balance.get());
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(1);
    // Math.random() is 0.5: half of the 500 ms ceiling, then half of 1000 ms.
    await vi.advanceTimersByTimeAsync(249);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(499);
    expect(requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).value?.data).toEqual(balance);
    expect(events.map((e) => [e.attempt, e.status, e.retryInMs])).toEqual([
      [1, 500, 250],
      [2, 500, 500],
      [3, 200, undefined],
    ]);
  });

  it('caps the backoff ceiling at maxDelayMs', async () => {
    vi.mocked(Math.random).mockReturnValue(0.999);
    const steps = Array.from({ length: 7 }, () => fail(503, 'INTERNAL_ERROR'));
    const { client, events } = setup(steps, { maxRetries: 6 });
    const pending = settle(client.balance.get());
    await vi.runAllTimersAsync();
    expect((await pending).error).toBeInstanceOf(ServerError);
    const waits = events.map((e) => e.retryInMs).filter((w) => w !== undefined);
    expect(waits.map(Math.round)).toEqual([500, 999, 1998, 3996, 7992, 7992]);
  });

  it('gives up after maxRetries and throws the last error, with its request id', async () => {
    const { client, requests } = setup([
      fail(500, 'INTERNAL_ERROR', { requestId: 'req_aaaaaaaaaaaa' }),
      fail(500, 'INTERNAL_ERROR', { requestId: 'req_bbbbbbbbbbbb' }),
      fail(500, 'INTERNAL_ERROR', { requestId: 'req_cccccccccccc' }),
    ]);
    const pending = settle(client.balance.get());
    await vi.runAllTimersAsync();
    const { error } = await pending;
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR', status: 500, requestId: 'req_cccccccccccc' });
    expect(requests).toHaveLength(3);
  });

  it.each([
    [400, 'INVALID_PHONE_NUMBER'],
    [400, 'INSUFFICIENT_BALANCE'],
    [401, 'INVALID_API_KEY'],
    [403, 'INSUFFICIENT_PERMISSIONS'],
    [404, 'TRANSACTION_NOT_FOUND'],
    [409, 'DUPLICATE_TRANSACTION'],
    [500, 'DELIVERY_FAILED'],
  ] as const)('does not retry %i %s', async (status, code) => {
    const { client, requests } = setup([fail(status, code)]);
    const pending = settle(client.topups.create(body));
    await vi.runAllTimersAsync();
    expect((await pending).error).toMatchObject({ code, status });
    expect(requests).toHaveLength(1);
  });

  it('retries 408, 429 and 502 through to a success', async () => {
    const { client, requests } = setup([
      new Response('', { status: 408 }),
      fail(429, 'RATE_LIMIT_EXCEEDED'),
      new Response('<html>Bad gateway</html>', { status: 502 }),
      ok(balance),
    ]);
    const pending = settle(client.balance.get({ maxRetries: 3 }));
    await vi.runAllTimersAsync();
    expect((await pending).value?.data).toEqual(balance);
    expect(requests).toHaveLength(4);
  });

  it('waits exactly Retry-After seconds instead of the backoff', async () => {
    const { client, requests, events } = setup([
      fail(429, 'RATE_LIMIT_EXCEEDED', { headers: { 'Retry-After': '7' }, details: { retry_after_seconds: 7 } }),
      ok(balance),
    ]);
    const pending = settle(client.balance.get());
    await vi.advanceTimersByTimeAsync(6_999);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    expect((await pending).value?.data).toEqual(balance);
    expect(events[0]?.retryInMs).toBe(7_000);
  });

  it('reads a Retry-After given as an HTTP date', async () => {
    vi.setSystemTime(new Date('2026-03-14T09:00:00Z'));
    const { client, events } = setup([
      fail(503, 'INTERNAL_ERROR', { headers: { 'Retry-After': 'Sat, 14 Mar 2026 09:00:12 GMT' } }),
      ok(balance),
    ]);
    const pending = settle(client.balance.get());
    await vi.runAllTimersAsync();
    expect((await pending).value).toBeDefined();
    expect(events[0]?.retryInMs).toBe(12_000);
  });

  it('stops at once with RateLimitError when Retry-After is longer than maxRetryAfterMs', async () => {
    const { client, requests } = setup([fail(429, 'RATE_LIMIT_EXCEEDED', { headers: { 'Retry-After': '120' } })]);
    const pending = settle(client.balance.get());
    await vi.runAllTimersAsync();
    const { error } = await pending;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryAfter: 120, rateLimit: { limit: 300, remaining: 299, reset: 1773480480 } });
    expect(requests).toHaveLength(1);
  });

  it('retries network errors and then throws NetworkError with the cause chain in its message', async () => {
    const refused = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    const { client, requests, events } = setup([refused, refused, refused]);
    const pending = settle(client.balance.get());
    await vi.runAllTimersAsync();
    const { error } = await pending;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', method: 'GET', url: `${BASE_URL}/balance` });
    expect((error as NetworkError).status).toBeUndefined();
    expect((error as Error).message).toBe(
      `GET ${BASE_URL}/balance: NETWORK_ERROR fetch failed: connect ECONNREFUSED 127.0.0.1:9`,
    );
    expect(requests).toHaveLength(3);
    expect(events.map((e) => e.error)).toEqual(['NETWORK_ERROR', 'NETWORK_ERROR', 'NETWORK_ERROR']);
  });

  it('times out an attempt whose fetch never answers, even a fetch that ignores its signal, and retries it', async () => {
    const { client, requests } = setup([hang, hang, ok(balance)], { timeoutMs: 1_000 });
    const pending = settle(client.balance.get());
    await vi.advanceTimersByTimeAsync(999);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests[0]?.signal.aborted).toBe(true);
    await vi.runAllTimersAsync();
    expect((await pending).value?.data).toEqual(balance);
    expect(requests).toHaveLength(3);
  });

  it('times out a response whose body never finishes', async () => {
    const stalled = () => new Response(new ReadableStream({ start() {} }), { status: 200 });
    const { client } = setup([stalled, stalled], { timeoutMs: 1_000, maxRetries: 1 });
    const pending = settle(client.balance.get());
    await vi.runAllTimersAsync();
    const { error } = await pending;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe(`GET ${BASE_URL}/balance: TIMEOUT no response within 1000 ms`);
  });

  it('takes timeoutMs and maxRetries per call', async () => {
    const { client, requests } = setup([hang], { timeoutMs: 60_000 });
    const pending = settle(client.balance.get({ timeoutMs: 10, maxRetries: 0 }));
    await vi.advanceTimersByTimeAsync(10);
    expect((await pending).error).toBeInstanceOf(TimeoutError);
    expect(requests).toHaveLength(1);
  });

  it('turns retries off with maxRetries 0', async () => {
    const { client, requests } = setup([fail(500, 'INTERNAL_ERROR')], { maxRetries: 0 });
    const pending = settle(client.balance.get());
    await vi.runAllTimersAsync();
    expect((await pending).error).toBeInstanceOf(ServerError);
    expect(requests).toHaveLength(1);
  });
});

describe('the caller AbortSignal', () => {
  it('stops the wait between attempts and rejects with its reason', async () => {
    const { client, requests } = setup([fail(500, 'INTERNAL_ERROR'), ok(balance)]);
    const controller = new AbortController();
    const pending = settle(client.balance.get({ signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(new Error('user left'));
    await vi.runAllTimersAsync();
    expect((await pending).error).toEqual(new Error('user left'));
    expect(requests).toHaveLength(1);
  });

  it('aborts the attempt in flight', async () => {
    const { client, requests } = setup([hang]);
    const controller = new AbortController();
    const pending = settle(client.balance.get({ signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(5);
    controller.abort();
    const { error } = await pending;
    expect((error as Error).name).toBe('AbortError');
    expect(requests[0]?.signal.aborted).toBe(true);
  });

  it('sends nothing when already aborted', async () => {
    const { client, requests } = setup([ok(balance)]);
    const pending = settle(client.balance.get({ signal: AbortSignal.abort() }));
    expect(((await pending).error as Error).name).toBe('AbortError');
    expect(requests).toHaveLength(0);
  });

  it('works on the raw client through its init', async () => {
    const { client, requests } = setup([hang]);
    const controller = new AbortController();
    const pending = settle(client.raw.GET('/balance', { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(5);
    controller.abort(new Error('stop'));
    expect((await pending).error).toEqual(new Error('stop'));
    expect(requests).toHaveLength(1);
  });
});

describe('every attempt', () => {
  it('sends the same Idempotency-Key and a freshly built, identical body', async () => {
    const { client, requests } = setup([new TypeError('fetch failed'), fail(500, 'INTERNAL_ERROR'), ok(topup, { status: 201 })]);
    const pending = settle(client.topups.create(body));
    await vi.runAllTimersAsync();
    const { value } = await pending;
    expect(requests).toHaveLength(3);
    const keys = requests.map((r) => r.headers.get('Idempotency-Key'));
    expect(new Set(keys)).toEqual(new Set([value?.idempotencyKey]));
    expect(value?.idempotencyKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (const request of requests) {
      expect(request.method).toBe('POST');
      expect(await request.json()).toEqual(body);
    }
  });

  it('carries the bearer key, and the User-Agent when one is given', async () => {
    const { client, requests } = setup([fail(500, 'INTERNAL_ERROR'), ok(balance)], { userAgent: 'acme-shop/1.4' });
    const pending = settle(client.balance.get());
    await vi.runAllTimersAsync();
    await pending;
    for (const request of requests) {
      expect(request.headers.get('Authorization')).toBe(`Bearer ${KEY}`);
      expect(request.headers.get('User-Agent')).toBe('acme-shop/1.4');
    }
  });

  it('gives a raw POST /topups an Idempotency-Key and keeps the caller’s own', async () => {
    const { client, requests } = setup([ok(topup, { status: 201 }), ok(topup, { status: 201 })]);
    await client.raw.POST('/topups', { body });
    await client.raw.POST('/topups', { body, params: { header: { 'Idempotency-Key': 'order-1' } } });
    expect(requests[0]?.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(requests[1]?.headers.get('Idempotency-Key')).toBe('order-1');
  });

  it('is reported to onAttempt without headers or key, and a throwing hook changes nothing', async () => {
    const seen: AttemptEvent[] = [];
    const { client } = setup([fail(500, 'INTERNAL_ERROR', { requestId: 'req_aaaaaaaaaaaa' }), ok(balance)], {
      onAttempt: (event) => {
        seen.push(event);
        throw new Error('logger down');
      },
    });
    const pending = settle(client.balance.get());
    await vi.runAllTimersAsync();
    expect((await pending).value?.data).toEqual(balance);
    expect(seen[0]).toEqual({
      method: 'GET',
      url: `${BASE_URL}/balance`,
      attempt: 1,
      status: 500,
      code: 'INTERNAL_ERROR',
      requestId: 'req_aaaaaaaaaaaa',
      error: undefined,
      durationMs: 0,
      retryInMs: 250,
    });
    expect(JSON.stringify(seen)).not.toContain(KEY);
  });

  it('is not retried when the API refuses the request as sent', async () => {
    const { client, requests } = setup([fail(400, 'MISSING_REQUIRED_FIELD')]);
    const pending = settle(client.topups.create(body));
    await vi.runAllTimersAsync();
    expect((await pending).error).toBeInstanceOf(InvalidRequestError);
    expect(requests).toHaveLength(1);
  });
});
