/**
 * Webhook signing and verification with Web Crypto (`crypto.subtle`), so the same code runs in Node 20+,
 * browsers and edge runtimes. The signature is the lowercase hex HMAC-SHA256 of
 * `<X-Webhook-Timestamp>.<raw body>`, keyed with the account's API key.
 */
import type { webhooks } from '../generated/schema.d.ts';
import { WebhookVerificationError, type WebhookVerificationReason } from './client/errors/webhook-verification-error.ts';
import { hex } from './client/hex.ts';

export {
  isWebhookVerificationError,
  WebhookVerificationError,
  type WebhookVerificationReason,
} from './client/errors/webhook-verification-error.ts';

/** A webhook event name, as sent in `X-Webhook-Event`: one of the spec's `webhooks`. */
export type WebhookEventType = keyof webhooks & string;

/** A verified webhook: its event name and its body (the top-up object), typed from the spec. */
export type WebhookEvent = {
  [K in WebhookEventType]: {
    type: K;
    data: webhooks[K]['post']['requestBody']['content']['application/json'];
  };
}[WebhookEventType];

/** The three headers a signed webhook carries (a type alias, so it fits any header record). */
export type WebhookHeaders = {
  'X-Webhook-Event': string;
  'X-Webhook-Timestamp': string;
  'X-Webhook-Signature': string;
};

/** A header bag: a `Headers` instance, or a plain object with names in any case (Node's `req.headers` fits). */
export type HeadersLike = Headers | { readonly [name: string]: string | readonly string[] | undefined };

const EVENTS: readonly string[] = ['topup.processing', 'topup.completed', 'topup.failed'] satisfies WebhookEventType[];
const HEADERS = ['X-Webhook-Event', 'X-Webhook-Timestamp', 'X-Webhook-Signature'] as const;

/** Options of {@link signWebhook}. */
export interface SignWebhookOptions {
  /** The exact body that will be sent. */
  rawBody: string;
  /** The API key that signs it (the receiving account's key). */
  apiKey: string;
  /** The event name sent in `X-Webhook-Event`. */
  event: WebhookEventType;
  /**
   * When the webhook is signed, in Unix seconds.
   * @default the current time
   */
  timestamp?: number;
}

/**
 * Signs a webhook body and returns the headers to send with it, for the mock server and for tests of your own
 * webhook handler.
 * @example
 * const headers = await signWebhook({ rawBody: JSON.stringify(topup), apiKey, event: 'topup.completed' });
 * await fetch(callbackUrl, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body });
 */
export async function signWebhook({
  rawBody,
  apiKey,
  event,
  timestamp = Math.floor(Date.now() / 1000),
}: SignWebhookOptions): Promise<WebhookHeaders> {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new TypeError('timestamp must be whole Unix seconds');
  return {
    'X-Webhook-Event': event,
    'X-Webhook-Timestamp': `${timestamp}`,
    'X-Webhook-Signature': await sign(apiKey, `${timestamp}.${rawBody}`),
  };
}

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** The body exactly as received, before any JSON parsing (`await request.text()`). */
  rawBody: string;
  /** The request headers. */
  headers: HeadersLike;
  /** Your API key, which signed the delivery. */
  apiKey: string;
  /**
   * How far `X-Webhook-Timestamp` may be from `now`, in seconds, either way.
   * @default 300
   */
  toleranceSeconds?: number;
  /**
   * The current time in Unix seconds, for tests.
   * @default the current time
   */
  now?: number;
}

/**
 * Checks a webhook's signature (in constant time) and its timestamp, and returns the typed event. Throws
 * {@link WebhookVerificationError} for a missing header, a malformed or stale timestamp, a bad signature or
 * tampered body, an unknown event, a body that is not a JSON object, or an event that is not the body's `status`.
 * Deliveries can repeat (retries, replays within the tolerance): make your handler idempotent on
 * `(data.id, type)`.
 * @example
 * const event = await verifyWebhook({ rawBody: await request.text(), headers: request.headers, apiKey });
 * if (event.type === 'topup.failed') console.log(event.data.failure_reason);
 */
export async function verifyWebhook({
  rawBody,
  headers,
  apiKey,
  toleranceSeconds = 300,
  now = Math.floor(Date.now() / 1000),
}: VerifyWebhookOptions): Promise<WebhookEvent> {
  const values = HEADERS.map((name) => header(headers, name.toLowerCase()));
  const missing = HEADERS.filter((_, i) => values[i] === undefined);
  if (missing.length) fail('missing_header', `Webhook is missing ${missing.join(', ')}`);
  const [event, timestamp, signature] = values as [string, string, string];
  if (!/^\d{1,12}$/.test(timestamp)) fail('invalid_timestamp', 'X-Webhook-Timestamp is not Unix seconds');
  if (Math.abs(now - +timestamp) > toleranceSeconds) {
    fail('stale_timestamp', `X-Webhook-Timestamp is over ${toleranceSeconds} s from now`);
  }
  // The signature is checked before the event name or body is trusted: an unsigned header says nothing.
  if (!equal(await sign(apiKey, `${timestamp}.${rawBody}`), signature)) {
    fail('invalid_signature', 'X-Webhook-Signature does not match the body');
  }
  if (!EVENTS.includes(event)) fail('unknown_event', `Unknown webhook event ${JSON.stringify(event)}`);
  let data: unknown;
  try {
    data = JSON.parse(rawBody);
  } catch {
    // Reported below, with the same reason as a non-object.
  }
  if (typeof data !== 'object' || !data || Array.isArray(data)) fail('invalid_body', 'Webhook body is not a JSON object');
  // X-Webhook-Event is not covered by the signature, so it must agree with the signed body: otherwise a captured
  // `topup.failed` delivery could be replayed as `topup.completed` within the tolerance.
  if ((data as { status?: unknown }).status !== event.slice(6)) {
    fail('event_mismatch', 'X-Webhook-Event does not match the status in the signed body');
  }
  return { type: event, data } as WebhookEvent;
}

function fail(reason: WebhookVerificationReason, message: string): never {
  throw new WebhookVerificationError(reason, message);
}

function header(headers: HeadersLike, lowerName: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as Headers).get(lowerName) ?? undefined;
  const record = headers as Record<string, unknown>;
  for (const name in record) {
    if (name.toLowerCase() !== lowerName) continue;
    const value = record[name];
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? first : undefined;
  }
  return undefined;
}

async function sign(apiKey: string, payload: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(apiKey), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return hex(await crypto.subtle.sign('HMAC', key, encoder.encode(payload)));
}

/** Compares in time that depends only on `expected`'s length, never on where the strings differ. */
function equal(expected: string, actual: string): boolean {
  let diff = expected.length ^ actual.length;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ actual.charCodeAt(i);
  return diff === 0;
}
