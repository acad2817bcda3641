/**
 * Webhook signing and verification with Web Crypto (`crypto.subtle`), so the same code runs in
 * Node 20+, browsers and edge runtimes. The signature is the lowercase hex HMAC-SHA256 of
 * `<X-Webhook-Timestamp>.<raw body>`, keyed with the account's API key.
 */
import type { webhooks } from '../generated/schema.d.ts';

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

/** Why {@link verifyWebhook} rejected a delivery. */
export type WebhookVerificationReason =
  | 'missing_header'
  | 'unknown_event'
  | 'invalid_timestamp'
  | 'stale_timestamp'
  | 'invalid_signature'
  | 'invalid_body';

/**
 * Thrown by {@link verifyWebhook} when a delivery cannot be trusted. Branch on `reason`.
 * The message never contains the API key or the expected signature.
 */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  /** Why the delivery was rejected. */
  readonly reason: WebhookVerificationReason;

  constructor(reason: WebhookVerificationReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** Type guard for {@link WebhookVerificationError}. */
export function isWebhookVerificationError(value: unknown): value is WebhookVerificationError {
  return value instanceof WebhookVerificationError;
}

const EVENTS: readonly string[] = ['topup.processing', 'topup.completed', 'topup.failed'] satisfies WebhookEventType[];
const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;
const encoder = new TextEncoder();

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
export async function signWebhook({ rawBody, apiKey, event, timestamp }: SignWebhookOptions): Promise<WebhookHeaders> {
  const ts = timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(ts) || ts < 0) throw new TypeError('signWebhook: timestamp must be whole Unix seconds');
  const signature = await hmac(apiKey, signedPayload(String(ts), rawBody));
  return {
    'X-Webhook-Event': event,
    'X-Webhook-Timestamp': String(ts),
    'X-Webhook-Signature': toHex(new Uint8Array(signature)),
  };
}

/** A header bag: a `Headers` instance, or a plain object with names in any case (Node's `req.headers` fits). */
export type HeadersLike = Headers | { readonly [name: string]: string | readonly string[] | undefined };

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** The body exactly as received, before any JSON parsing (as text or bytes). */
  rawBody: string | Uint8Array;
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
 * Checks a webhook's signature (in constant time, by `crypto.subtle.verify`) and its timestamp, and returns the
 * typed event. Throws {@link WebhookVerificationError} for a missing header, an unknown event, a stale or
 * malformed timestamp, a bad signature or tampered body, or a body that is not a JSON object.
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
  const event = header(headers, 'x-webhook-event');
  const timestamp = header(headers, 'x-webhook-timestamp');
  const signature = header(headers, 'x-webhook-signature');
  if (event === undefined || timestamp === undefined || signature === undefined) {
    const missing = ['X-Webhook-Event', 'X-Webhook-Timestamp', 'X-Webhook-Signature'].filter(
      (name) => header(headers, name.toLowerCase()) === undefined,
    );
    throw new WebhookVerificationError('missing_header', `Webhook is missing ${missing.join(', ')}`);
  }
  if (!TIMESTAMP_PATTERN.test(timestamp)) {
    throw new WebhookVerificationError('invalid_timestamp', 'X-Webhook-Timestamp is not Unix seconds');
  }
  if (Math.abs(now - Number(timestamp)) > toleranceSeconds) {
    throw new WebhookVerificationError(
      'stale_timestamp',
      `X-Webhook-Timestamp is more than ${toleranceSeconds} s away from now`,
    );
  }
  // The signature is checked before the event name or body is trusted: an unsigned header says nothing.
  const key = await importKey(apiKey, 'verify');
  const valid =
    SIGNATURE_PATTERN.test(signature) &&
    (await crypto.subtle.verify('HMAC', key, fromHex(signature), signedPayload(timestamp, rawBody)));
  if (!valid) {
    throw new WebhookVerificationError('invalid_signature', 'X-Webhook-Signature does not match the body');
  }
  if (!EVENTS.includes(event)) {
    throw new WebhookVerificationError('unknown_event', `Unknown webhook event ${JSON.stringify(event)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody));
  } catch {
    throw new WebhookVerificationError('invalid_body', 'Webhook body is not JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new WebhookVerificationError('invalid_body', 'Webhook body is not a JSON object');
  }
  return { type: event, data } as WebhookEvent;
}

function header(headers: HeadersLike, lowerName: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(lowerName) ?? undefined;
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (name.toLowerCase() !== lowerName) continue;
    const first: unknown = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? first : undefined;
  }
  return undefined;
}

function signedPayload(timestamp: string, rawBody: string | Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = encoder.encode(`${timestamp}.`);
  const body = typeof rawBody === 'string' ? encoder.encode(rawBody) : rawBody;
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix);
  out.set(body, prefix.length);
  return out;
}

function importKey(apiKey: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(apiKey), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

async function hmac(apiKey: string, payload: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> {
  return crypto.subtle.sign('HMAC', await importKey(apiKey, 'sign'), payload);
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
