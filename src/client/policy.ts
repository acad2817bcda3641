/**
 * The reliability policy: the one place that retries, times out, adds the credentials and keeps top-ups
 * exactly-once. Both the raw client and the resource methods send every request through {@link send}.
 */
import { NetworkError } from './errors/network-error.ts';
import { TimeoutError } from './errors/timeout-error.ts';
import type { Deadlines } from './deadline.ts';
import { readRetryAfter } from './rate-limit.ts';

/** The defaults of every reliability setting, in one object. */
export const DEFAULTS = {
  /** Per-attempt timeout, in ms. */
  timeoutMs: 30_000,
  /** Retries after the first attempt. */
  maxRetries: 2,
  /** The first backoff ceiling, in ms; it doubles on each retry (full jitter: the wait is random below it). */
  baseDelayMs: 500,
  /** The largest backoff ceiling, in ms. */
  maxDelayMs: 8_000,
  /** The longest `Retry-After` the client waits out, in ms; a longer one ends the retries at once. */
  maxRetryAfterMs: 60_000,
} as const;

/** The reliability settings (see {@link DEFAULTS}). */
export type Policy = { -readonly [K in keyof typeof DEFAULTS]: number };

/** The longest delay a timer takes: a longer one fires at once (in Node, browsers and edge runtimes alike). */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * `base` with the settings `given` sets: one it leaves out (or sets to `undefined`) keeps `base`'s value. Each
 * must be a number from 0 to {@link MAX_DELAY_MS} (`maxRetries` a whole one, `timeoutMs` above 0): anything
 * else throws a `RangeError` naming the setting, rather than timing out at once or retrying for ever.
 */
export function override(base: Policy, given: Partial<Policy>): Policy {
  const policy = { ...base };
  for (const key in base) {
    const name = key as keyof Policy;
    const value = given[name] ?? base[name];
    const least = name === 'timeoutMs' ? 1 : 0;
    if (typeof value !== 'number' || !(value >= least && value <= MAX_DELAY_MS) || (name === 'maxRetries' && value % 1)) {
      throw new RangeError(`${name} must be a number from ${least} to ${MAX_DELAY_MS}${name === 'maxRetries' ? ', whole' : ''}, not ${String(value)}`);
    }
    policy[name] = value;
  }
  return policy;
}

/** What the hook hears after each attempt. It never carries the API key or the request headers. */
export interface AttemptEvent {
  /** The HTTP method. */
  method: string;
  /** The full URL, query included. */
  url: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The HTTP status, when a response arrived. */
  status?: number;
  /** The API's error code, when it sent one. */
  code?: string;
  /** The API's `meta.request_id`, when it sent one. */
  requestId?: string;
  /** Set when no response arrived. */
  error?: 'NETWORK_ERROR' | 'TIMEOUT';
  /** Time from sending to the full response (or the failure), in ms. */
  durationMs: number;
  /** Set when the client will try again, after this many ms. */
  retryInMs?: number;
}

/** What {@link send} needs besides the request: the credentials, the transport and the hook. */
export interface Transport {
  /** Sends one attempt. Given a URL and init rather than a `Request`, so the default `fetch` builds just one. */
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  /** Whether that `fetch` surely gives up when its signal aborts (the runtime's own does); if not, it is raced. */
  honoursSignal: () => boolean;
  /** The client's attempt timeouts. */
  deadlines: Deadlines;
  /** Headers every attempt carries (lowercase names): `authorization`, and `user-agent` when one is set. */
  headers: Record<string, string>;
  /** Removes the API key from any text that could reach the caller. */
  scrub: (text: string) => string;
  onAttempt: ((event: AttemptEvent) => void) | undefined;
}

/** A response the policy returned, fully read, with what it learnt about it. */
export interface Sent {
  /** The last attempt's response; its body has been read (see `text`). */
  response: Response;
  /** The body, with the API key scrubbed out. */
  text: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  json: unknown;
  /** The response is the `GET /topups/{id}` of a create whose earlier attempt went through. */
  replayed: boolean;
}

type Envelope = { error?: { code?: string; details?: { existing_topup_id?: unknown } }; meta?: { request_id?: string } };

/**
 * Sends one request under `policy`: builds each attempt afresh from `url`, `headers` (lowercase names) and
 * `body` (same body, same `Idempotency-Key`), times out each attempt, retries network errors, timeouts, 408,
 * 429 and 5xx except `DELIVERY_FAILED`, waits with full jitter or `Retry-After`, and honours the caller's
 * abort `signal`. Resolves with the last response, fully read and parsed once; rejects with
 * {@link NetworkError} or {@link TimeoutError} when no response came, or with the signal's reason when the
 * caller aborted.
 *
 * A POST without an `Idempotency-Key` gets a fresh one. When a retry of `POST /topups` gets
 * `409 DUPLICATE_TRANSACTION` after an attempt that may have gone through (no answer, or a 5xx), that attempt
 * created the top-up and only its answer was lost: the policy fetches `GET /topups/{existing_topup_id}` and
 * resolves with that (marked `replayed`). After only 408s or 429s, which say nothing was done, the 409 means
 * the key was used before this call, and it stands.
 */
export async function send(
  method: string,
  rawUrl: string,
  headers: Record<string, string>,
  body: string | undefined,
  signal: AbortSignal | null | undefined,
  policy: Policy,
  t: Transport,
): Promise<Sent> {
  const url = t.scrub(rawUrl);
  Object.assign(headers, t.headers);
  if (method === 'POST') headers['idempotency-key'] ||= crypto.randomUUID();

  // Whether an earlier attempt may have reached the API and acted: no answer, or a 5xx. A 408 or 429 says it did not.
  let maybeActed = false;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    // Reading the clock is not free on every machine: only the hook needs the start.
    const started = t.onAttempt ? Date.now() : 0;
    // The timeout's signal is shared with the attempts that started alongside (see deadline.ts).
    const group = t.deadlines.join(policy.timeoutMs);
    let attemptSignal = group.signal;
    let stopped: Promise<never> | undefined;
    let unlink: (() => void) | undefined;
    const trusted = t.honoursSignal();
    if (signal || !trusted) {
      // A signal of this attempt's own, aborted by the timeout or by the caller. A fetch that may ignore its
      // signal (an injected one) is raced against it as well, so the timeout and the abort hold anyway.
      const own = new AbortController();
      const onTimeout = () => own.abort(group.signal.reason);
      const onCallerAbort = () => own.abort(signal!.reason);
      group.signal.addEventListener('abort', onTimeout);
      signal?.addEventListener('abort', onCallerAbort);
      unlink = () => {
        group.signal.removeEventListener('abort', onTimeout);
        signal?.removeEventListener('abort', onCallerAbort);
      };
      if (!trusted) stopped = new Promise<never>((_, reject) => own.signal.addEventListener('abort', reject));
      attemptSignal = own.signal;
    }

    let response: Response | undefined;
    let text = '';
    let json: unknown;
    let failure: NetworkError | TimeoutError | undefined;
    try {
      const answer = t.fetch(rawUrl, { method, headers, body, signal: attemptSignal });
      response = await (stopped ? Promise.race([answer, stopped]) : answer);
      const read = response.text();
      text = t.scrub(await (stopped ? Promise.race([read, stopped]) : read));
      try {
        json = JSON.parse(text);
      } catch {
        // Not JSON (a proxy's error page, say): classified by status alone.
      }
    } catch (error) {
      // Which it was is read from the signals, not from the rejection.
      if (signal?.aborted) throw signal.reason;
      response = undefined;
      failure = group.signal.aborted
        ? new TimeoutError({ code: 'TIMEOUT', message: `no response within ${policy.timeoutMs} ms`, method, url })
        : new NetworkError({ code: 'NETWORK_ERROR', message: t.scrub(describe(error)), method, url });
    } finally {
      t.deadlines.leave(group);
      unlink?.();
    }

    const status = response?.status ?? 0;
    const envelope = (json ?? {}) as Envelope;
    const code = envelope.error?.code;
    const retryable = failure || ((status === 408 || status === 429 || status >= 500) && code !== 'DELIVERY_FAILED');
    let retryInMs: number | undefined;
    if (retryable && attempt <= policy.maxRetries) {
      const retryAfter = response && readRetryAfter(response.headers, Date.now());
      retryInMs =
        retryAfter === undefined
          ? Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
          : retryAfter * 1000 <= policy.maxRetryAfterMs
            ? retryAfter * 1000
            : undefined;
    }
    try {
      // Optional call: without a hook, the event is not even built.
      t.onAttempt?.({
        method,
        url,
        attempt,
        status: response?.status,
        code,
        requestId: envelope.meta?.request_id,
        error: failure?.code as AttemptEvent['error'],
        durationMs: Date.now() - started,
        retryInMs,
      });
    } catch {
      // A broken logging hook must not break the request.
    }

    if (retryInMs !== undefined) {
      maybeActed ||= !!failure || status >= 500;
      await sleep(retryInMs, signal);
      continue;
    }
    if (failure) throw failure;
    const existing = envelope.error?.details?.existing_topup_id;
    if (maybeActed && method === 'POST' && code === 'DUPLICATE_TRANSACTION' && typeof existing === 'string') {
      const replay = await recover(`${rawUrl}/${encodeURIComponent(existing)}`, body, signal, policy, t);
      if (replay) return replay;
    }
    return { response: response!, text, json, replayed: false };
  }
}

/**
 * Fetches the top-up an earlier attempt created. Gives up (and lets the 409 stand, which still names the
 * top-up) when the fetch fails, the top-up is for another phone number than this call's body (which means the
 * key had been used before this call), or there is no body to compare with.
 */
async function recover(
  url: string,
  body: string | undefined,
  signal: AbortSignal | null | undefined,
  policy: Policy,
  t: Transport,
): Promise<Sent | undefined> {
  try {
    const sent = await send('GET', url, {}, undefined, signal, policy, t);
    const topup = sent.json as { data?: { phone_number?: unknown } } | undefined;
    if (!sent.response.ok || topup?.data?.phone_number !== (JSON.parse(body!) as { phone_number?: unknown }).phone_number) {
      return undefined;
    }
    sent.replayed = true;
    return sent;
  } catch (error) {
    if (signal?.aborted) throw error;
    return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', done);
      resolve();
    }, ms);
    // Left on the signal once it fired: a signal aborts only once.
    const done = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', done);
  });
}

/** The messages down an error's `cause` chain, e.g. `fetch failed: connect ECONNREFUSED 127.0.0.1:9`. */
function describe(error: unknown): string {
  let message = '';
  for (let e = error, depth = 0; e != null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    message += (depth ? ': ' : '') + String((e as Error).message ?? e);
  }
  return message;
}
