import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  isWebhookVerificationError,
  signWebhook,
  verifyWebhook,
  WebhookVerificationError,
  type WebhookVerificationReason,
} from '../../src/webhooks.ts';
import { KEY, PLACEHOLDER_KEY, topup } from './fixtures.ts';

const NOW = 1_773_480_417;
const body = JSON.stringify({ ...topup, status: 'completed', completed_at: '2026-03-14T09:26:57.112Z' });

/** The reference signature, computed with node:crypto, independently of the Web Crypto code under test. */
function reference(apiKey: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', apiKey).update(`${timestamp}.${rawBody}`).digest('hex');
}

async function rejection(promise: Promise<unknown>): Promise<WebhookVerificationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isWebhookVerificationError(error)) throw new Error(`expected a WebhookVerificationError, got ${String(error)}`);
  return error;
}

describe('signWebhook', () => {
  it('matches a fixed known-answer vector computed with openssl', async () => {
    const headers = await signWebhook({
      rawBody: '{"id":"3f9c2b1e-7a4d-4e8f-9b2a-6c5d4e3f2a1b","status":"completed"}',
      apiKey: PLACEHOLDER_KEY,
      event: 'topup.completed',
      timestamp: 1773480417,
    });
    expect(headers).toEqual({
      'X-Webhook-Event': 'topup.completed',
      'X-Webhook-Timestamp': '1773480417',
      'X-Webhook-Signature': 'ffe93d1f176353c4e0dcb0866d361b4663f88e5c80bc50a3df329d777f542979',
    });
  });

  it.each([
    [KEY, NOW, body],
    [PLACEHOLDER_KEY, 0, ''],
    [KEY, 1, 'non-ascii body: cédi ₵ 🇬🇭'],
    [KEY, 99_999_999_999, '{"a":"b"}\n'],
  ])('signs key %s at %i the same way node:crypto does', async (apiKey, timestamp, rawBody) => {
    const headers = await signWebhook({ rawBody, apiKey, event: 'topup.failed', timestamp });
    expect(headers['X-Webhook-Signature']).toBe(reference(apiKey, String(timestamp), rawBody));
    expect(headers['X-Webhook-Timestamp']).toBe(String(timestamp));
  });

  it('uses the current time when no timestamp is given', async () => {
    const before = Math.floor(Date.now() / 1000);
    const headers = await signWebhook({ rawBody: body, apiKey: KEY, event: 'topup.processing' });
    const ts = Number(headers['X-Webhook-Timestamp']);
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(before + 5);
  });

  it.each([-1, 1.5, Number.NaN])('refuses the timestamp %s', async (timestamp) => {
    await expect(signWebhook({ rawBody: body, apiKey: KEY, event: 'topup.failed', timestamp })).rejects.toThrow(
      TypeError,
    );
  });
});

describe('verifyWebhook', () => {
  const signed = () => signWebhook({ rawBody: body, apiKey: KEY, event: 'topup.completed', timestamp: NOW });

  it('returns the typed event for a delivery signed by node:crypto', async () => {
    const headers = {
      'x-webhook-event': 'topup.completed',
      'x-webhook-timestamp': String(NOW),
      'x-webhook-signature': reference(KEY, String(NOW), body),
    };
    const event = await verifyWebhook({ rawBody: body, headers, apiKey: KEY, now: NOW });
    expect(event.type).toBe('topup.completed');
    expect(event.data).toEqual(JSON.parse(body));
  });

  it('reads headers from a Headers instance, a plain object in any case, or Node-style arrays', async () => {
    const h = await signed();
    const variants = [
      new Headers(h),
      h,
      Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), v])),
      Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), [v]])),
    ];
    for (const headers of variants) {
      await expect(verifyWebhook({ rawBody: body, headers, apiKey: KEY, now: NOW })).resolves.toMatchObject({
        type: 'topup.completed',
      });
    }
  });

  it('accepts a timestamp exactly at the edge of the tolerance, either way', async () => {
    const headers = await signed();
    await expect(verifyWebhook({ rawBody: body, headers, apiKey: KEY, now: NOW + 300 })).resolves.toBeTruthy();
    await expect(verifyWebhook({ rawBody: body, headers, apiKey: KEY, now: NOW - 300 })).resolves.toBeTruthy();
  });

  const cases: [string, WebhookVerificationReason, (h: Record<string, string>) => Partial<Parameters<typeof verifyWebhook>[0]>][] = [
    ['a tampered body', 'invalid_signature', () => ({ rawBody: body.replace('"completed"', '"failed"') })],
    ['a signature made with another key', 'invalid_signature', () => ({ apiKey: PLACEHOLDER_KEY })],
    ['a changed timestamp', 'invalid_signature', (h) => ({ headers: { ...h, 'X-Webhook-Timestamp': String(NOW + 1) } })],
    ['an uppercase signature', 'invalid_signature', (h) => ({ headers: { ...h, 'X-Webhook-Signature': h['X-Webhook-Signature']!.toUpperCase() } })],
    ['a truncated signature', 'invalid_signature', (h) => ({ headers: { ...h, 'X-Webhook-Signature': h['X-Webhook-Signature']!.slice(2) } })],
    ['an empty signature', 'invalid_signature', (h) => ({ headers: { ...h, 'X-Webhook-Signature': '' } })],
    ['a stale timestamp', 'stale_timestamp', () => ({ now: NOW + 301 })],
    ['a timestamp from the future', 'stale_timestamp', () => ({ now: NOW - 301 })],
    ['a tighter tolerance', 'stale_timestamp', () => ({ now: NOW + 11, toleranceSeconds: 10 })],
    ['a timestamp in milliseconds', 'invalid_timestamp', (h) => ({ headers: { ...h, 'X-Webhook-Timestamp': `${NOW}000` } })],
    ['a timestamp that is not a number', 'invalid_timestamp', (h) => ({ headers: { ...h, 'X-Webhook-Timestamp': 'yesterday' } })],
    ['a missing signature header', 'missing_header', ({ 'X-Webhook-Signature': _, ...h }) => ({ headers: h })],
    ['a missing timestamp header', 'missing_header', ({ 'X-Webhook-Timestamp': _, ...h }) => ({ headers: h })],
    ['a missing event header', 'missing_header', ({ 'X-Webhook-Event': _, ...h }) => ({ headers: h })],
  ];

  it.each(cases)('rejects %s with reason %s', async (_name, reason, change) => {
    const headers = { ...(await signed()) };
    const error = await rejection(verifyWebhook({ rawBody: body, headers, apiKey: KEY, now: NOW, ...change(headers) }));
    expect(error.reason).toBe(reason);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error.name).toBe('WebhookVerificationError');
  });

  it('names every missing header', async () => {
    const error = await rejection(verifyWebhook({ rawBody: body, headers: {}, apiKey: KEY, now: NOW }));
    expect(error.message).toBe('Webhook is missing X-Webhook-Event, X-Webhook-Timestamp, X-Webhook-Signature');
  });

  it('rejects a correctly signed but unknown event', async () => {
    const h = await signed();
    const headers = { ...h, 'X-Webhook-Event': 'topup.refunded' };
    expect((await rejection(verifyWebhook({ rawBody: body, headers, apiKey: KEY, now: NOW }))).reason).toBe(
      'unknown_event',
    );
  });

  it('rejects a signed delivery whose event header was swapped, since the header is not signed', async () => {
    const failed = JSON.stringify({ ...topup, status: 'failed', failure_reason: 'Number not in service' });
    const headers = await signWebhook({ rawBody: failed, apiKey: KEY, event: 'topup.failed', timestamp: NOW });
    const swapped = { ...headers, 'X-Webhook-Event': 'topup.completed' };
    const error = await rejection(verifyWebhook({ rawBody: failed, headers: swapped, apiKey: KEY, now: NOW }));
    expect(error.reason).toBe('event_mismatch');
    await expect(verifyWebhook({ rawBody: failed, headers, apiKey: KEY, now: NOW })).resolves.toMatchObject({
      type: 'topup.failed',
      data: { failure_reason: 'Number not in service' },
    });
  });

  it.each(['not json', '[1,2]', 'null', '42'])('rejects the correctly signed body %s as not a JSON object', async (rawBody) => {
    const headers = await signWebhook({ rawBody, apiKey: KEY, event: 'topup.failed', timestamp: NOW });
    expect((await rejection(verifyWebhook({ rawBody, headers, apiKey: KEY, now: NOW }))).reason).toBe('invalid_body');
  });

  it('never puts the key or the expected signature in an error', async () => {
    const headers = { ...(await signed()), 'X-Webhook-Signature': '0'.repeat(64) };
    const error = await rejection(verifyWebhook({ rawBody: body, headers, apiKey: KEY, now: NOW }));
    const shown = [error.message, error.stack, JSON.stringify(error), String(error)].join('\n');
    expect(shown).not.toContain(KEY.slice(8));
    expect(shown).not.toContain(reference(KEY, String(NOW), body));
  });
});
