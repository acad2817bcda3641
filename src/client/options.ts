import type { AttemptEvent } from './policy.ts';

/** Options of {@link createClickAirtimeClient}. Only `apiKey` is needed (or the `CLICKAIRTIME_API_KEY` env var). */
export interface ClickAirtimeClientOptions {
  /**
   * The API key: `ce_live_` and 32 letters or digits. Checked when the client is made; a malformed key throws a
   * `TypeError` that shows it redacted. The client never reveals it again (not in errors, logs or `JSON.stringify`).
   * @default process.env.CLICKAIRTIME_API_KEY (where a `process` exists)
   * @example createClickAirtimeClient({ apiKey: 'ce_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' })
   */
  apiKey?: string;
  /**
   * The API root, including `/v2`. Point it at the sandbox mock for tests.
   * @default 'https://api.clickairtime.com/v2'
   * @example createClickAirtimeClient({ baseUrl: 'http://127.0.0.1:4010/v2' })
   */
  baseUrl?: string;
  /**
   * Timeout of each attempt, in ms, until the whole response has arrived. A timed-out attempt is aborted and
   * retried. Attempts that start together share one timer, so one may end up to 1/16 of this later (at most 1 s),
   * never earlier. From 1 to 2147483647 (the longest a timer waits); anything else throws a `RangeError`.
   * @default 30000
   * @example createClickAirtimeClient({ timeoutMs: 10_000 })
   */
  timeoutMs?: number;
  /**
   * Retries after the first attempt, for network errors, timeouts, 408, 429 and 5xx (never `DELIVERY_FAILED`).
   * `0` turns retries off. A whole number; a negative or fractional one throws a `RangeError`.
   * @default 2
   * @example createClickAirtimeClient({ maxRetries: 5 })
   */
  maxRetries?: number;
  /**
   * The first backoff ceiling, in ms; it doubles on each retry and the wait is a random time below it
   * (full jitter). Ignored when the response has `Retry-After`.
   * @default 500
   * @example createClickAirtimeClient({ baseDelayMs: 1_000 })
   */
  baseDelayMs?: number;
  /**
   * The largest backoff ceiling, in ms.
   * @default 8000
   * @example createClickAirtimeClient({ maxDelayMs: 20_000 })
   */
  maxDelayMs?: number;
  /**
   * The longest `Retry-After` the client waits out, in ms. When the API asks for longer, the client stops
   * retrying and throws `RateLimitError` (or the error at hand) with `retryAfter` set.
   * @default 60000
   * @example createClickAirtimeClient({ maxRetryAfterMs: 5_000 }) // interactive use: fail fast
   */
  maxRetryAfterMs?: number;
  /**
   * The `fetch` to send requests with: inject one for tests, proxies or instrumentation. It receives a
   * `Request` that carries the `Authorization` header, so do not log its headers.
   * @default globalThis.fetch
   * @example createClickAirtimeClient({ fetch: (request) => undiciFetch(request, { dispatcher }) })
   */
  fetch?: (request: Request) => Promise<Response>;
  /**
   * A `User-Agent` to send. Unset by default, because in browsers a custom header needs the API's CORS consent.
   * @default the runtime's own
   * @example createClickAirtimeClient({ userAgent: 'acme-shop/1.4' })
   */
  userAgent?: string;
  /**
   * Called after every attempt (including retries and the lookup after a lost create), for logging and
   * metrics. It gets method, URL, attempt number, status, error code, request id, duration and the wait
   * before the next attempt; never headers or the key. Errors it throws are ignored.
   * @default none
   * @example createClickAirtimeClient({ onAttempt: (e) => console.log(e.method, e.url, e.status ?? e.error) })
   */
  onAttempt?: (event: AttemptEvent) => void;
}

/** Per-call options of every resource method. */
export interface RequestOptions {
  /** Aborts the call: the attempt in flight and the wait before the next one. The promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Timeout of each attempt of this call, in ms.
   * @default the client's `timeoutMs`
   */
  timeoutMs?: number;
  /**
   * Retries for this call.
   * @default the client's `maxRetries`
   */
  maxRetries?: number;
}

/** Per-call options of `topups.create`. */
export interface CreateTopupOptions extends RequestOptions {
  /**
   * The `Idempotency-Key` to send, the same on every attempt. Use one per intended top-up (your order id, say),
   * so that a retry of yours after a crash cannot send twice: it then fails with `DuplicateTransactionError`,
   * which names the top-up already made.
   * @default a random UUID, returned as `idempotencyKey` and set on any error the call throws
   */
  idempotencyKey?: string;
}
