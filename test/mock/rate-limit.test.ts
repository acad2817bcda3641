/** Rate limits, against a mock of this file's own with tiny limits (the suite's mock has them out of reach). */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RateLimiter } from '../../src/mock/rate-limit.ts';
import { startMockServer, type MockServer } from '../../src/mock/server.ts';
import { call, errorCode } from './helpers.ts';

let mock: MockServer;
const key = (name: string) => mock.keys.find((k) => k.name === name)!.key;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, selfCheck: true, rateLimits: { read: 3, write: 2, topup: 2, lookup: 2 } });
});

afterAll(async () => {
  await mock.close();
});

describe('a key over its limit', () => {
  test('gets 429 RATE_LIMIT_EXCEEDED with Retry-After once the category is spent, with counting headers before', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ok = await call('GET', '/balance', { base: mock.baseUrl, key: key('full') });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-ratelimit-limit')).toBe('3');
      remaining.push(ok.headers.get('x-ratelimit-remaining')!);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await call('GET', '/catalog/countries', { base: mock.baseUrl, key: key('full') });
    expect(limited.status).toBe(429);
    expect(errorCode(limited)).toBe('RATE_LIMIT_EXCEEDED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body.error.details.retry_after_seconds).toBe(retryAfter);
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
  });

  test('is still served in another category, and other keys are not affected', async () => {
    const lookup = await call('GET', '/catalog/lookup?network_id=22', { base: mock.baseUrl, key: key('full') });
    expect(lookup.status).toBe(200);
    expect(lookup.headers.get('x-ratelimit-limit')).toBe('2');
    const other = await call('GET', '/balance', { base: mock.baseUrl, key: key('wallets-read') });
    expect(other.status).toBe(200);
  });

  test('top-up creation has its own limit', async () => {
    const body = { phone_number: '+233541112259', network_id: 22, product_id: '101' };
    expect((await call('POST', '/topups', { base: mock.baseUrl, key: key('airtime-write'), body })).status).toBe(201);
    expect((await call('POST', '/topups', { base: mock.baseUrl, key: key('airtime-write'), body })).status).toBe(201);
    const third = await call('POST', '/topups', { base: mock.baseUrl, key: key('airtime-write'), body });
    expect(third.status).toBe(429);
    expect(third.headers.get('x-ratelimit-limit')).toBe('2');
  });

  test('is counted again from zero after a sandbox reset', async () => {
    await call('POST', '/__sandbox/reset', { base: mock.url, key: null });
    expect((await call('GET', '/balance', { base: mock.baseUrl, key: key('full') })).status).toBe(200);
  });
});

describe('RateLimiter', () => {
  test('opens a new window when the old one ends', () => {
    const limiter = new RateLimiter({ read: 1, write: 1, topup: 1, lookup: 1, windowMs: 1000 });
    expect(limiter.hit('k', 'read', 10_200).limited).toBe(false);
    const second = limiter.hit('k', 'read', 10_700);
    expect(second).toMatchObject({ limited: true, remaining: 0, reset: 12, retryAfter: 1 });
    expect(limiter.hit('k', 'read', 11_200).limited).toBe(false);
  });
});

test('every response this file got from its mock matches the spec', () => {
  expect(mock.mismatches()).toEqual([]);
});
