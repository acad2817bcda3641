import { describe, expect, test } from 'vitest';
import { ResponseChecker } from '../../src/mock/self-check.ts';
import { loadSpec, operationTable } from '../../src/mock/spec.ts';
import { call } from './helpers.ts';

describe('self-check', () => {
  const spec = loadSpec();
  const ops = operationTable(spec);
  const op = (id: string) => ops.find((o) => o.operationId === id)!;
  const headers = { 'X-RateLimit-Limit': 1, 'X-RateLimit-Remaining': 0, 'X-RateLimit-Reset': 1 };
  const meta = { request_id: 'req_abcdefabcdef', timestamp: '2026-03-14T09:26:53.589Z' };

  test('records a status the operation does not declare', () => {
    const checker = new ResponseChecker(spec, ops);
    const body = JSON.stringify({ success: false, error: { code: 'TRANSACTION_NOT_FOUND', message: 'x', details: {} }, meta });
    checker.check(op('listCountries'), 'GET', '/v2/catalog/countries', 404, headers, body);
    expect(checker.mismatches[0]?.problems.join()).toMatch(/not declared/);
  });

  test('records a body that does not match the schema, and missing rate-limit headers', () => {
    const checker = new ResponseChecker(spec, ops);
    checker.check(op('getBalance'), 'GET', '/v2/balance', 200, {}, JSON.stringify({ success: true, data: {}, meta }));
    const problems = checker.mismatches[0]?.problems.join('\n') ?? '';
    expect(problems).toMatch(/schema/);
    expect(problems).toMatch(/x-ratelimit-limit/);
  });

  test('accepts a response that matches', () => {
    const checker = new ResponseChecker(spec, ops);
    const body = JSON.stringify({ success: true, data: { id: 'wal_ghs_001', currency: 'GHS', balance: 1, type: 'local', status: 'active', allowed_countries: ['Ghana'] }, meta });
    checker.check(op('getWallet'), 'GET', '/v2/balance/wal_ghs_001', 200, headers, body);
    expect(checker.mismatches).toEqual([]);
  });

  test("the suite's mock is in self-check mode and has recorded no mismatch so far", async () => {
    const url = new URL((await import('vitest')).inject('mockUrl'));
    expect((await call('GET', '/balance')).status).toBe(200);
    const reply = await call('GET', '/__sandbox/self-check', { base: url.origin, key: null });
    expect(reply.body.data.enabled).toBe(true);
    expect(reply.body.data.checked).toBeGreaterThan(0);
    expect(reply.body.data.mismatches).toEqual([]);
  });
});
