import { describe, expect, test } from 'vitest';
import { parsePrefer } from '../../src/mock/prism.ts';
import { call, errorCode } from './helpers.ts';

const BODY = { phone_number: '+233541112259', network_id: 22, product_id: '101' };

describe('Prefer: code= and example=', () => {
  test('code=409 answers with the documented DUPLICATE_TRANSACTION example and a fresh request id', async () => {
    const reply = await call('POST', '/topups', { body: BODY, headers: { Prefer: 'code=409' } });
    expect(reply.status).toBe(409);
    expect(reply.body.error.details.existing_topup_id).toBe('3f9c2b1e-7a4d-4e8f-9b2a-6c5d4e3f2a1b');
    expect(reply.body.meta.request_id).not.toBe('req_9g1h3j5k7l8z');
    expect(reply.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
  });

  test('code=400 with example=insufficient_balance picks that example', async () => {
    const reply = await call('POST', '/topups', { body: BODY, headers: { Prefer: 'code=400, example=insufficient_balance' } });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('INSUFFICIENT_BALANCE');
  });

  test('code=429 carries Retry-After matching the example', async () => {
    const reply = await call('GET', '/balance', { headers: { Prefer: 'code=429' } });
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe(String(reply.body.error.details.retry_after_seconds));
  });

  test('code=200 on getTopup gives the example top-up without any state', async () => {
    const reply = await call('GET', '/topups/3f9c2b1e-7a4d-4e8f-9b2a-6c5d4e3f2a1b', { headers: { Prefer: 'code=200' } });
    expect(reply.status).toBe(200);
    expect(reply.body.data.status).toBe('completed');
  });

  test('a status the operation does not declare is refused in the envelope, never problem+json', async () => {
    const reply = await call('GET', '/catalog/countries', { headers: { Prefer: 'code=404' } });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.body.error.details.fields[0].field).toBe('header.Prefer');
  });

  test('an unknown example name is refused in the envelope', async () => {
    const reply = await call('GET', '/balance', { headers: { Prefer: 'example=nope' } });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('MISSING_REQUIRED_FIELD');
  });

  test('an Accept without JSON is refused in the envelope naming Accept, and the next answer is JSON again', async () => {
    const html = await call('GET', '/balance', { headers: { Prefer: 'code=200', Accept: 'text/html' } });
    expect(html.status).toBe(400);
    expect(html.body.error.details.fields[0].field).toBe('header.Accept');
    const next = await call('GET', '/balance', { headers: { Prefer: 'code=200' } });
    expect(next.status).toBe(200);
  });

  test('still needs a valid key with the right permission', async () => {
    const none = await call('GET', '/balance', { key: null, headers: { Prefer: 'code=200' } });
    expect(none.status).toBe(401);
    expect(errorCode(none)).toBe('INVALID_API_KEY');
  });

  test("still validates the request, with Prism's violations translated to vendor codes", async () => {
    const reply = await call('POST', '/topups', { body: { ...BODY, phone_number: '0541' }, headers: { Prefer: 'code=201' } });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('INVALID_PHONE_NUMBER');
    expect(reply.body.error.details.fields).toContainEqual(expect.objectContaining({ field: 'body.phone_number', issue: 'pattern' }));
  });
});

describe('parsePrefer', () => {
  test.each([
    [undefined, undefined],
    ['return=minimal', undefined],
    ['code=409', { code: 409 }],
    ['code=400; example=invalid_amount', { code: 400, exampleKey: 'invalid_amount' }],
    ['example="by_phone_number", dynamic=true', { exampleKey: 'by_phone_number', dynamic: true }],
    ['code=abc', { code: Number.NaN }],
  ])('reads %j as %j', (header, expected) => {
    expect(parsePrefer(header)).toEqual(expected);
  });
});
