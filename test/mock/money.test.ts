/**
 * Money is never lost or doubled: for any sequence of top-up requests (ordinary and magic numbers,
 * bad amounts, reused Idempotency-Keys), once everything settles each wallet holds its start minus
 * exactly what completed top-ups took from it.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startMockServer, type MockServer } from '../../src/mock/server.ts';
import { call, eventually, type Json } from './helpers.ts';

let mock: MockServer;
let key: string;

beforeAll(async () => {
  const high = 1_000_000;
  mock = await startMockServer({
    port: 0,
    // These tests count the whole ledger: start it empty.
    documentedTopups: false,
    selfCheck: true,
    delays: { processingMs: 1, completionMs: 1 },
    rateLimits: { read: high, write: high, topup: high, lookup: high },
  });
  key = mock.keys.find((k) => k.name === 'full')!.key;
});

afterAll(async () => {
  await mock.close();
});

const request = fc.record({
  phone: fc.constantFrom('+233541112259', '+233501234567', '+2348031234567', '+233200000001', '+233200000003', '+233200000005', '+233200000006'),
  value: fc.constantFrom(0.5, 1, 12.34, 80, 400, 5001),
  bundle: fc.boolean(),
  idem: fc.option(fc.constantFrom('k1', 'k2', 'k3'), { nil: undefined }),
});

test('for any sequence of top-ups, every wallet ends at its start minus what completed top-ups cost it', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 8 }), fc.constantFrom(0, 5, 60), async (requests, ghsStart) => {
      mock.reset({ wal_ghs_001: ghsStart, wal_global_001: 20 });
      const start = { wal_ghs_001: ghsStart * 100, wal_global_001: 2000 };
      for (const r of requests) {
        const nigeria = r.phone.startsWith('+234');
        const network = nigeria ? 31 : r.phone.startsWith('+23354') ? 22 : 23;
        const body = r.bundle
          ? { phone_number: r.phone, network_id: network, product_id: nigeria ? '201' : network === 22 ? '101' : '111' }
          : { phone_number: r.phone, network_id: network, amount: { value: nigeria ? r.value * 100 : r.value, currency: nigeria ? 'NGN' : 'GHS' } };
        const reply = await call('POST', '/topups', { base: mock.baseUrl, key, body, headers: r.idem ? { 'Idempotency-Key': r.idem } : {} });
        expect([201, 400, 409, 500]).toContain(reply.status);
      }
      const topups: Json[] = await eventually(async () => {
        const list = (await call('GET', '/topups?per_page=100', { base: mock.baseUrl, key })).body.data as Json[];
        const pending = list.filter((t) => t.status !== 'completed' && t.status !== 'failed');
        return pending.length === 0 ? list : undefined;
      });
      const wallets = (await call('GET', '/balance', { base: mock.baseUrl, key })).body.data.wallets as Json[];
      const held = Object.fromEntries(wallets.map((w) => [w.id, Math.round(w.balance * 100)]));
      // A completed top-up took its local amount from the GHS wallet or its cost from the global one; which one is
      // the mock's choice, so check the total in each currency can be explained by some split of the completed ones.
      const completed = topups.filter((t) => t.status === 'completed');
      const spentGhs = start.wal_ghs_001 - held.wal_ghs_001!;
      const spentUsd = start.wal_global_001 - held.wal_global_001!;
      expect(spentGhs).toBeGreaterThanOrEqual(0);
      expect(spentUsd).toBeGreaterThanOrEqual(0);
      const ghsParts = completed.filter((t) => t.amount.currency === 'GHS').map((t) => Math.round(t.amount.value * 100));
      const canExplain = (subsetMask: number) => {
        let ghs = 0;
        let usd = 0;
        let gi = 0;
        for (const t of completed) {
          if (t.amount.currency === 'GHS' && subsetMask & (1 << gi++)) ghs += Math.round(t.amount.value * 100);
          else usd += Math.round(t.cost.value * 100);
        }
        return ghs === spentGhs && usd === spentUsd;
      };
      let explained = false;
      for (let mask = 0; mask < 1 << ghsParts.length && !explained; mask++) explained = canExplain(mask);
      expect(explained, JSON.stringify({ spentGhs, spentUsd, completed: completed.map((t) => [t.amount, t.cost]) })).toBe(true);
    }),
    { numRuns: 25 },
  );
  expect(mock.mismatches()).toEqual([]);
});
