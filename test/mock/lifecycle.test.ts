/**
 * The top-up lifecycle against a mock of this file's own (real HTTP, self-check on), so the
 * money assertions are exact while other test files create top-ups on the suite's mock.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startMockServer, type MockServer } from '../../src/mock/server.ts';
import { verifyWebhook } from '../../src/webhooks.ts';
import { call, errorCode, eventually, startReceiver, type Json } from './helpers.ts';

let mock: MockServer;
let key: string;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

const HIGH = 1_000_000;

beforeAll(async () => {
  // Processing waits long enough for a GET right after the POST to see `pending`.
  mock = await startMockServer({
    port: 0,
    // These tests count the whole ledger: start it empty.
    documentedTopups: false,
    selfCheck: true,
    delays: { processingMs: 400, completionMs: 40, webhookRetryMs: 20 },
    rateLimits: { read: HIGH, write: HIGH, topup: HIGH, lookup: HIGH },
  });
  key = mock.keys.find((k) => k.name === 'full')!.key;
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver.close();
  await mock.close();
});

beforeEach(async () => {
  const reset = await call('POST', '/__sandbox/reset', { base: mock.url, key: null });
  expect(reset.status).toBe(200);
  receiver.deliveries.length = 0;
});

const api = (method: string, path: string, opts: { body?: unknown; headers?: Record<string, string> } = {}) =>
  call(method, path, { ...opts, key, base: mock.baseUrl });

async function wallets(): Promise<Record<string, number>> {
  const reply = await api('GET', '/balance');
  return Object.fromEntries(reply.body.data.wallets.map((w: Json) => [w.id, w.balance]));
}

async function settled(id: string): Promise<Json> {
  return eventually(async () => {
    const t = (await api('GET', `/topups/${id}`)).body.data;
    return t.status === 'completed' || t.status === 'failed' ? t : undefined;
  }, 500);
}

describe('a top-up to an ordinary number', () => {
  test('is created pending, stays pending until processing, then completes', async () => {
    const created = await api('POST', '/topups', {
      body: { phone_number: '+233541112259', network_id: 22, amount: { value: 50, currency: 'GHS' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.data.status).toBe('pending');
    expect(created.body.data.completed_at).toBeNull();
    const fetched = await api('GET', `/topups/${created.body.data.id}`);
    expect(fetched.body.data.status).toBe('pending');
    const done = await settled(created.body.data.id);
    expect(done.status).toBe('completed');
    expect(done.provider_reference).toMatch(/\S/);
    expect(Date.parse(done.completed_at)).toBeGreaterThanOrEqual(Date.parse(done.created_at));
  });

  test('is found by listTopups filtered on its reference', async () => {
    const reference = `REF-${randomUUID()}`;
    const created = await api('POST', '/topups', {
      body: { phone_number: '+233541112259', network_id: 22, product_id: '101', reference },
    });
    await api('POST', '/topups', { body: { phone_number: '+233541112259', network_id: 22, product_id: '101', reference: 'other' } });
    const list = await api('GET', `/topups?reference=${reference}`);
    expect(list.status).toBe(200);
    expect(list.body.data.map((t: Json) => t.id)).toEqual([created.body.data.id]);
    expect(list.body.meta.pagination).toEqual({ page: 1, per_page: 20, total: 1, total_pages: 1, has_next: false, has_prev: false });
  });

  test('is paid from the country wallet when it can pay, by the amount sent', async () => {
    const before = await wallets();
    const created = await api('POST', '/topups', {
      body: { phone_number: '+233541112259', network_id: 22, amount: { value: 50, currency: 'GHS' } },
    });
    expect(created.body.data.cost).toEqual({ value: 4.05, currency: 'USD' });
    const after = await wallets();
    expect(after.wal_ghs_001).toBe(before.wal_ghs_001! - 50);
    expect(after.wal_global_001).toBe(before.wal_global_001);
  });

  test('is paid from the global USD wallet by its cost when no country wallet exists', async () => {
    const before = await wallets();
    const created = await api('POST', '/topups', {
      body: { phone_number: '+2348031234567', network_id: 31, amount: { value: 1550, currency: 'NGN' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.data.cost).toEqual({ value: 1, currency: 'USD' });
    const after = await wallets();
    expect(after.wal_global_001).toBeCloseTo(before.wal_global_001! - 1, 2);
    expect(after.wal_ghs_001).toBe(before.wal_ghs_001);
  });

  test('falls back to the global wallet when the country wallet cannot pay', async () => {
    await call('POST', '/__sandbox/reset', { base: mock.url, key: null, body: { balances: { wal_ghs_001: 10 } } });
    const created = await api('POST', '/topups', {
      body: { phone_number: '+233541112259', network_id: 22, amount: { value: 50, currency: 'GHS' } },
    });
    expect(created.status).toBe(201);
    const after = await wallets();
    expect(after.wal_ghs_001).toBe(10);
    expect(after.wal_global_001).toBeCloseTo(1250.75 - 4.05, 2);
  });

  test('is refused with INSUFFICIENT_BALANCE when no wallet can pay, and nothing is charged', async () => {
    await call('POST', '/__sandbox/reset', {
      base: mock.url,
      key: null,
      body: { balances: { wal_ghs_001: 0, wal_global_001: 3.2 } },
    });
    const reply = await api('POST', '/topups', {
      body: { phone_number: '+233541112259', network_id: 22, amount: { value: 50, currency: 'GHS' } },
    });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('INSUFFICIENT_BALANCE');
    expect(reply.body.error.details).toMatchObject({ available_balance: 3.2, required_amount: 4.05 });
    expect(await wallets()).toEqual({ wal_global_001: 3.2, wal_ghs_001: 0 });
    expect((await api('GET', '/topups')).body.data).toEqual([]);
  });

  test('sends signed webhooks for processing and completed that verify with the creating key', async () => {
    const created = await api('POST', '/topups', {
      body: { phone_number: '+233541112259', network_id: 22, product_id: '101', callback_url: receiver.url },
    });
    await eventually(async () => (receiver.deliveries.length >= 2 ? true : undefined), 500);
    const events = [];
    for (const d of receiver.deliveries) {
      const event = await verifyWebhook({ rawBody: d.rawBody, headers: d.headers as Record<string, string>, apiKey: key });
      expect(d.headers['x-webhook-signature']).toMatch(/^[0-9a-f]{64}$/);
      expect(event.data.id).toBe(created.body.data.id);
      events.push([event.type, event.data.status]);
    }
    expect(events).toEqual([
      ['topup.processing', 'processing'],
      ['topup.completed', 'completed'],
    ]);
    await expect(
      verifyWebhook({ rawBody: receiver.deliveries[0]!.rawBody, headers: receiver.deliveries[0]!.headers as Record<string, string>, apiKey: 'ce_live_' + 'x'.repeat(32) }),
    ).rejects.toThrow();
  });
});

describe('webhook redelivery', () => {
  type Logged = { topup_id: string; event: string; attempt: number; status: number | null };
  const log = async (id: string): Promise<Logged[]> =>
    ((await call('GET', '/__sandbox/webhooks', { base: mock.url, key: null })).body.data as Logged[]).filter((e) => e.topup_id === id);
  /** Creates a top-up that calls `url` back, waits until `deliveries` tries of it are logged, and returns them. */
  const createAndLog = async (url: string, deliveries: number): Promise<[event: string, attempt: number, status: number | null][]> => {
    const created = await api('POST', '/topups', {
      body: { phone_number: '+233541112259', network_id: 22, product_id: '101', callback_url: url },
    });
    const id = created.body.data.id as string;
    await eventually(async () => ((await log(id)).length >= deliveries ? true : undefined), 500);
    return (await log(id)).map((e) => [e.event, e.attempt, e.status]);
  };

  test('redelivers a refused webhook, the same body freshly signed, and stops at the first 2xx', async () => {
    const flaky = await startReceiver([500]);
    try {
      expect(await createAndLog(flaky.url, 3)).toEqual([
        ['topup.processing', 1, 500],
        ['topup.processing', 2, 204],
        ['topup.completed', 1, 204],
      ]);
      const [first, second, third] = flaky.deliveries;
      expect(second!.rawBody).toBe(first!.rawBody);
      for (const d of [first!, second!, third!]) {
        await expect(verifyWebhook({ rawBody: d.rawBody, headers: d.headers as Record<string, string>, apiKey: key })).resolves.toBeTruthy();
      }
      expect(flaky.deliveries.map((d) => d.headers['x-webhook-event'])).toEqual(['topup.processing', 'topup.processing', 'topup.completed']);
    } finally {
      await flaky.close();
    }
  });

  test('gives up on an event after 3 tries, and still sends the next one after it, in order', async () => {
    const down = await startReceiver(Array.from({ length: 6 }, () => 503));
    try {
      expect(await createAndLog(down.url, 6)).toEqual([
        ['topup.processing', 1, 503],
        ['topup.processing', 2, 503],
        ['topup.processing', 3, 503],
        ['topup.completed', 1, 503],
        ['topup.completed', 2, 503],
        ['topup.completed', 3, 503],
      ]);
      expect(down.deliveries).toHaveLength(6);
    } finally {
      await down.close();
    }
  });
});

describe('an Idempotency-Key', () => {
  test('used again gives 409 DUPLICATE_TRANSACTION naming the first top-up, and charges once', async () => {
    const idem = randomUUID();
    const body = { phone_number: '+233541112259', network_id: 22, amount: { value: 20, currency: 'GHS' } };
    const first = await api('POST', '/topups', { body, headers: { 'Idempotency-Key': idem } });
    expect(first.status).toBe(201);
    const afterFirst = await wallets();
    const again = await api('POST', '/topups', { body, headers: { 'Idempotency-Key': idem } });
    expect(again.status).toBe(409);
    expect(errorCode(again)).toBe('DUPLICATE_TRANSACTION');
    expect(again.body.error.details.existing_topup_id).toBe(first.body.data.id);
    expect(await wallets()).toEqual(afterFirst);
    expect((await api('GET', '/topups')).body.meta.pagination.total).toBe(1);
  });

  test('that created nothing (a refused request) can be used again', async () => {
    const idem = randomUUID();
    const bad = await api('POST', '/topups', {
      body: { phone_number: '+233200000005', network_id: 23, amount: { value: 5, currency: 'GHS' } },
      headers: { 'Idempotency-Key': idem },
    });
    expect(bad.status).toBe(500);
    const good = await api('POST', '/topups', {
      body: { phone_number: '+233541112259', network_id: 22, amount: { value: 5, currency: 'GHS' } },
      headers: { 'Idempotency-Key': idem },
    });
    expect(good.status).toBe(201);
  });
});

describe('the magic numbers', () => {
  test('+233200000001 is accepted, then fails with a reason, a topup.failed webhook, and a full refund', async () => {
    const before = await wallets();
    const created = await api('POST', '/topups', {
      body: { phone_number: '+233200000001', network_id: 23, amount: { value: 25, currency: 'GHS' }, callback_url: receiver.url },
    });
    expect(created.status).toBe(201);
    expect((await wallets()).wal_ghs_001).toBe(before.wal_ghs_001! - 25);
    const done = await settled(created.body.data.id);
    expect(done.status).toBe('failed');
    expect(done.failure_reason).toMatch(/\S/);
    expect(await wallets()).toEqual(before);
    await eventually(async () => (receiver.deliveries.length >= 2 ? true : undefined), 500);
    expect(receiver.deliveries.map((d) => d.headers['x-webhook-event'])).toEqual(['topup.processing', 'topup.failed']);
  });

  test.each([
    ['+233200000002', 400, 'HLR_LOOKUP_FAILED'],
    ['+233200000003', 400, 'UNSUPPORTED_NETWORK'],
    ['+233200000005', 500, 'DELIVERY_FAILED'],
    ['+233200000006', 500, 'INTERNAL_ERROR'],
  ])('%s is refused with %i %s, creating and charging nothing', async (phone, status, code) => {
    const before = await wallets();
    const reply = await api('POST', '/topups', {
      body: { phone_number: phone, network_id: 23, amount: { value: 5, currency: 'GHS' } },
    });
    expect(reply.status).toBe(status);
    expect(errorCode(reply)).toBe(code);
    expect(await wallets()).toEqual(before);
    expect((await api('GET', '/topups')).body.data).toEqual([]);
  });

  test.each([
    ['+233200000002', 400, 'HLR_LOOKUP_FAILED'],
    ['+233200000003', 400, 'UNSUPPORTED_NETWORK'],
  ])('%s gives %i %s on a catalog lookup too', async (phone, status, code) => {
    const reply = await api('GET', `/catalog/lookup?phone_number=${encodeURIComponent(phone)}`);
    expect(reply.status).toBe(status);
    expect(errorCode(reply)).toBe(code);
  });

  test('+233200000004 stays pending after a later top-up has completed', async () => {
    const stuck = await api('POST', '/topups', {
      body: { phone_number: '+233200000004', network_id: 23, amount: { value: 5, currency: 'GHS' } },
    });
    const normal = await api('POST', '/topups', {
      body: { phone_number: '+233541112259', network_id: 22, amount: { value: 5, currency: 'GHS' } },
    });
    expect((await settled(normal.body.data.id)).status).toBe('completed');
    expect((await api('GET', `/topups/${stuck.body.data.id}`)).body.data.status).toBe('pending');
  });
});

describe('money', () => {
  test('after a mix of completed and failed top-ups, every wallet holds its start minus what completed', async () => {
    const before = await wallets();
    const phones = ['+233541112259', '+233200000001', '+233501234567', '+233200000001', '+233541112259'];
    const ids: string[] = [];
    for (const [i, phone] of phones.entries()) {
      const network = phone.startsWith('+23354') ? 22 : 23;
      const r = await api('POST', '/topups', {
        body: { phone_number: phone, network_id: network, amount: { value: 10 + i, currency: 'GHS' } },
      });
      expect(r.status).toBe(201);
      ids.push(r.body.data.id);
    }
    const done = await Promise.all(ids.map(settled));
    const spent = done.filter((t) => t.status === 'completed').reduce((sum, t) => sum + t.amount.value, 0);
    expect(done.filter((t) => t.status === 'failed')).toHaveLength(2);
    const after = await wallets();
    expect(after.wal_ghs_001).toBeCloseTo(before.wal_ghs_001! - spent, 2);
    expect(after.wal_global_001).toBe(before.wal_global_001);
  });
});

describe('listTopups', () => {
  test('pages, sorts by cost and filters by status and phone digits', async () => {
    for (const value of [30, 10, 20]) {
      await api('POST', '/topups', { body: { phone_number: '+233541112259', network_id: 22, amount: { value, currency: 'GHS' } } });
    }
    await api('POST', '/topups', { body: { phone_number: '+233200000004', network_id: 23, amount: { value: 5, currency: 'GHS' } } });
    const page1 = await api('GET', '/topups?per_page=2&sort=total_usd');
    expect(page1.body.data.map((t: Json) => t.amount.value)).toEqual([5, 10]);
    expect(page1.body.meta.pagination).toMatchObject({ page: 1, per_page: 2, total: 4, total_pages: 2, has_next: true, has_prev: false });
    const page2 = await api('GET', '/topups?per_page=2&page=2&sort=total_usd');
    expect(page2.body.data.map((t: Json) => t.amount.value)).toEqual([20, 30]);
    expect(page2.body.meta.pagination).toMatchObject({ has_next: false, has_prev: true });
    const newest = await api('GET', '/topups');
    expect(newest.body.data[0].phone_number).toBe('+233200000004');
    const byPhone = await api('GET', '/topups?phone_number=541112259');
    expect(byPhone.body.data).toHaveLength(3);
    const pending = await api('GET', '/topups?status=pending&phone_number=%2B233200000004');
    expect(pending.body.data).toHaveLength(1);
    const future = await api('GET', '/topups?from=2999-01-01');
    expect(future.body.data).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await api('GET', `/topups?from=${today}&to=${today}`)).body.meta.pagination.total).toBe(4);
  });
});

test('every response this file got from its mock matches the spec', () => {
  expect(mock.mismatches()).toEqual([]);
});
