import { beforeAll, describe, expect, test } from 'vitest';
import { operations } from '../support/spec.ts';
import { call, errorCode, keys } from './helpers.ts';

/** A valid request per operation, and the status it gets with the right key. */
const SAMPLES: Record<string, { path: string; body?: unknown; ok: number }> = {
  lookupCatalog: { path: '/catalog/lookup?phone_number=%2B233541112259', ok: 200 },
  listCountries: { path: '/catalog/countries', ok: 200 },
  listNetworks: { path: '/catalog/networks?country_code=GH', ok: 200 },
  listProducts: { path: '/catalog/products?network_id=22', ok: 200 },
  createTopup: { path: '/topups', body: { phone_number: '+233541112259', network_id: 22, product_id: '101' }, ok: 201 },
  listTopups: { path: '/topups', ok: 200 },
  getTopup: { path: '/topups/{id}', ok: 200 },
  getBalance: { path: '/balance', ok: 200 },
  getWallet: { path: '/balance/wal_ghs_001', ok: 200 },
};

/** The single-permission sandbox key holding each permission. */
const KEY_WITH: Record<string, string> = {
  'airtime.read': 'airtime-read',
  'airtime.write': 'airtime-write',
  'airtime.transactions.read': 'transactions-read',
  'wallets.read': 'wallets-read',
};

let topupId = '';

beforeAll(async () => {
  const created = await call('POST', '/topups', { body: SAMPLES.createTopup!.body });
  expect(created.status).toBe(201);
  topupId = created.body.data.id;
});

describe.each(operations().map((o) => [o.operation.operationId as string, o] as const))('%s', (operationId, entry) => {
  const sample = SAMPLES[operationId];
  const permission: string = entry.operation.security[0].bearerAuth[0];
  const rightKey = KEY_WITH[permission]!;
  const wrongKey = Object.entries(KEY_WITH).find(([p]) => p !== permission)![1];

  const cases: [string, () => string | null, string | undefined, number, string | null][] = [
    ['no Authorization header', () => null, undefined, 401, 'INVALID_API_KEY'],
    ['a Basic credential', () => null, 'Basic dXNlcjpwYXNz', 401, 'INVALID_API_KEY'],
    ['a malformed key', () => null, 'Bearer ce_live_short', 401, 'INVALID_API_KEY'],
    ['an unknown key', () => 'ce_live_' + 'Z'.repeat(32), undefined, 401, 'INVALID_API_KEY'],
    ['a revoked key', () => keys().revoked!, undefined, 401, 'REVOKED_API_KEY'],
    ['an expired key', () => keys().expired!, undefined, 401, 'EXPIRED_API_KEY'],
    ['a key whose allow-list excludes the caller', () => keys()['ip-restricted']!, undefined, 403, 'IP_NOT_ALLOWED'],
    [`a key without ${permission}`, () => keys()[wrongKey]!, undefined, 403, 'INSUFFICIENT_PERMISSIONS'],
    [`a key with only ${permission}`, () => keys()[rightKey]!, undefined, sample?.ok ?? 0, null],
  ];

  test.each(cases)('with %s it answers as documented', async (_name, key, authorization, status, code) => {
    expect(sample, `no sample request for ${operationId}`).toBeDefined();
    const path = sample!.path.replace('{id}', topupId);
    const headers: Record<string, string> = authorization ? { Authorization: authorization } : {};
    const reply = await call(entry.method.toUpperCase(), path, { key: key(), body: sample!.body, headers });
    expect(reply.status).toBe(status);
    if (code === null) {
      expect(reply.body.success).toBe(true);
    } else {
      expect(errorCode(reply)).toBe(code);
      if (code === 'INSUFFICIENT_PERMISSIONS') expect(reply.body.error.details.required_permission).toBe(permission);
    }
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
      expect(reply.headers.get(h)).toMatch(/^\d+$/);
    }
  });
});

test('no error message or header reveals the key that was sent', async () => {
  const key = keys().revoked!;
  const reply = await call('GET', '/balance', { key });
  expect(reply.status).toBe(401);
  expect(reply.text).not.toContain(key);
  expect(reply.text).toContain(key.slice(-4));
  for (const [, value] of reply.headers) expect(value).not.toContain(key);
});
