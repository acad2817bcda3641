import { describe, expect, it } from 'vitest';
import { deref, operations, spec, type Json } from '../support/spec.ts';

// CONTRACT.md's table of the nine operations.
const CONTRACT = [
  ['lookupCatalog', 'get', '/catalog/lookup', 'airtime.read'],
  ['listCountries', 'get', '/catalog/countries', 'airtime.read'],
  ['listNetworks', 'get', '/catalog/networks', 'airtime.read'],
  ['listProducts', 'get', '/catalog/products', 'airtime.read'],
  ['createTopup', 'post', '/topups', 'airtime.write'],
  ['listTopups', 'get', '/topups', 'airtime.transactions.read'],
  ['getTopup', 'get', '/topups/{id}', 'airtime.transactions.read'],
  ['getBalance', 'get', '/balance', 'wallets.read'],
  ['getWallet', 'get', '/balance/{wallet_id}', 'wallets.read'],
] as const;

describe('operations', () => {
  it('are exactly the nine of the contract, with their paths, methods and permissions', () => {
    const actual = operations()
      .map(({ method, path, operation }) => [operation.operationId, method, path, operation['x-permission']])
      .sort();
    expect(actual).toEqual([...CONTRACT].map((row) => [...row]).sort());
  });

  it.each(operations().map((o) => [o.operation.operationId, o] as const))(
    '%s names its permission as its only security scope',
    (_id, { operation }) => {
      expect(operation.security).toEqual([{ bearerAuth: [operation['x-permission']] }]);
    },
  );

  it.each(operations().map((o) => [o.operation.operationId, o] as const))(
    '%s declares 401, 403, 429 and 500, and rate-limit headers on every response',
    (_id, { operation }) => {
      const responses = operation.responses as Record<string, Json>;
      for (const status of ['401', '403', '429', '500']) expect(Object.keys(responses)).toContain(status);
      for (const [status, response] of Object.entries(responses)) {
        const headers = Object.keys(deref(response).headers ?? {});
        expect(headers, status).toEqual(expect.arrayContaining(['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']));
        if (status === '429') expect(headers).toContain('Retry-After');
      }
    },
  );

  it('createTopup answers 201, takes an optional Idempotency-Key and declares 409', () => {
    const op = spec.paths['/topups'].post;
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['201', '409']));
    const header = op.parameters.map(deref).find((p: Json) => p.name === 'Idempotency-Key');
    expect(header).toMatchObject({ in: 'header', required: false });
  });

  it('the request body requires exactly one of amount and product_id (oneOf)', () => {
    const body = deref(spec.paths['/topups'].post.requestBody.content['application/json'].schema);
    const branches = (body.oneOf as Json[]).map(deref);
    expect(branches.map((b) => b.required.filter((r: string) => r === 'amount' || r === 'product_id'))).toEqual([
      ['amount'],
      ['product_id'],
    ]);
    expect(branches.every((b) => b.additionalProperties === false)).toBe(true);
  });

  it('the three topup webhooks are declared with the signature headers', () => {
    expect(Object.keys(spec.webhooks).sort()).toEqual(['topup.completed', 'topup.failed', 'topup.processing']);
    for (const hook of Object.values(spec.webhooks as Record<string, Json>)) {
      const names = hook.post.parameters.map((p: Json) => deref(p).name);
      expect(names).toEqual(['X-Webhook-Event', 'X-Webhook-Timestamp', 'X-Webhook-Signature']);
    }
  });
});
