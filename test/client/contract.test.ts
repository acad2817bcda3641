import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  AuthenticationError,
  createClickAirtimeClient,
  DuplicateTransactionError,
  InvalidRequestError,
  NotFoundError,
  PermissionError,
  ServerError,
  verifyWebhook,
  type AttemptEvent,
  type ClickAirtimeClientOptions,
  type WebhookEvent,
} from '../../src/index.ts';

// Every resource method against the suite's sandbox mock (test/setup/mock-server.ts), which checks each of its
// responses against the spec. The mock's state is shared by the whole suite, so each test makes its own top-ups
// and looks for them by a reference of its own.

const baseUrl = inject('mockBaseUrl');
const keys = inject('mockKeys');
const run = `contract-${Date.now().toString(36)}`;

function client(options: ClickAirtimeClientOptions = {}) {
  return createClickAirtimeClient({ apiKey: keys.full, baseUrl, baseDelayMs: 1, ...options });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
}

describe('the catalog', () => {
  it('looks a number up by HLR and a network up by id', async () => {
    const byPhone = await client().catalog.lookup({ phone_number: '+233541112259' });
    expect(byPhone.data).toMatchObject({ phone_number: '+233541112259', network: { id: 22, name: 'MTN Ghana' }, network_source: 'hlr' });
    expect(byPhone.meta.request_id).toMatch(/^req_[a-z0-9]{12}$/);
    expect(byPhone.rateLimit?.limit).toBeGreaterThan(0);
    const byId = await client().catalog.lookup({ network_id: 23 });
    expect(byId.data).toMatchObject({ network: { id: 23 }, network_source: 'network_id' });
  });

  it('lists countries, networks of a country and a network’s products', async () => {
    const countries = await client().catalog.countries();
    expect(countries.data.map((c) => c.code)).toEqual(expect.arrayContaining(['GH', 'NG', 'KE']));
    const networks = await client().catalog.networks({ country_code: 'GH' });
    expect(networks.data.map((n) => n.id)).toEqual(expect.arrayContaining([22, 23, 24]));
    expect(new Set(networks.data.map((n) => n.country_code))).toEqual(new Set(['GH']));
    const products = await client().catalog.products({ network_id: 22 });
    expect(products.data.products.fixed_bundles).toContainEqual(
      expect.objectContaining({ id: 101, name: '500MB Data - 30 Days', type: 'DATA', price_usd: 2.5 }),
    );
  });

  it('throws the typed errors of the catalog', async () => {
    const unknownNetwork = await rejection(client().catalog.products({ network_id: 99_999 }));
    expect(unknownNetwork).toBeInstanceOf(NotFoundError);
    expect(unknownNetwork).toMatchObject({ code: 'NETWORK_NOT_FOUND', status: 404 });
    const hlr = await rejection(client().catalog.lookup({ phone_number: '+233200000002' }));
    expect(hlr).toBeInstanceOf(InvalidRequestError);
    expect(hlr).toMatchObject({ code: 'HLR_LOOKUP_FAILED' });
  });
});

describe('top-ups', () => {
  it('creates one, gets it and finds it in the list and in listAll', async () => {
    const reference = `${run}-create`;
    const created = await client().topups.create({
      phone_number: '+233541112259',
      network_id: 22,
      amount: { value: 5, currency: 'GHS' },
      reference,
    });
    expect(created).toMatchObject({ replayed: false, data: { status: 'pending', reference, phone_number: '+233541112259' } });
    const got = await client().topups.get(created.data.id);
    expect(got.data.id).toBe(created.data.id);
    const listed = await client().topups.list({ reference });
    expect(listed.data.map((t) => t.id)).toEqual([created.data.id]);
    expect(listed.meta.pagination).toMatchObject({ page: 1, total: 1, has_next: false });
    const all = [];
    for await (const t of client().topups.listAll({ reference })) all.push(t.id);
    expect(all).toEqual([created.data.id]);
  });

  it('walks several pages with listAll', async () => {
    const reference = `${run}-pages`;
    const ids = [];
    for (let i = 0; i < 5; i++) {
      const { data } = await client().topups.create({ phone_number: '+233541112259', network_id: 22, product_id: '101', reference });
      ids.push(data.id);
    }
    const events: AttemptEvent[] = [];
    const seen = [];
    for await (const t of client({ onAttempt: (e) => events.push(e) }).topups.listAll({ reference, per_page: 2 })) seen.push(t.id);
    expect(seen.sort()).toEqual(ids.sort());
    expect(events.map((e) => new URL(e.url).searchParams.get('page'))).toEqual(['1', '2', '3']);
  });

  it('throws DuplicateTransactionError with the existing top-up when a key is reused by a later call', async () => {
    const idempotencyKey = `${run}-reused`;
    const body = { phone_number: '+233541112259', network_id: 22, amount: { value: 5, currency: 'GHS' } };
    const first = await client().topups.create(body, { idempotencyKey });
    const again = await rejection(client().topups.create(body, { idempotencyKey }));
    expect(again).toBeInstanceOf(DuplicateTransactionError);
    expect(again).toMatchObject({ existingTopupId: first.data.id, idempotencyKey, status: 409 });
  });

  it('does not retry DELIVERY_FAILED, and retries INTERNAL_ERROR before throwing it', async () => {
    const events: AttemptEvent[] = [];
    const c = client({ onAttempt: (e) => events.push(e) });
    const body = (phone: string) => ({ phone_number: phone, network_id: 23, amount: { value: 5, currency: 'GHS' } });
    const delivery = await rejection(c.topups.create(body('+233200000005')));
    expect(delivery).toBeInstanceOf(ServerError);
    expect(delivery).toMatchObject({ code: 'DELIVERY_FAILED', status: 500 });
    expect(events).toHaveLength(1);
    const internal = await rejection(c.topups.create(body('+233200000006')));
    expect(internal).toMatchObject({ code: 'INTERNAL_ERROR', status: 500 });
    expect(events.map((e) => e.code)).toEqual(['DELIVERY_FAILED', 'INTERNAL_ERROR', 'INTERNAL_ERROR', 'INTERNAL_ERROR']);
  });

  it('rejects a malformed phone number with InvalidRequestError and its field', async () => {
    const error = await rejection(client().topups.create({ phone_number: '0541112259', network_id: 22, product_id: '101' }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ code: 'INVALID_PHONE_NUMBER', details: { fields: [expect.objectContaining({ field: 'body.phone_number' })] } });
  });

  it('throws NotFoundError for an unknown top-up', async () => {
    const error = await rejection(client().topups.get('00000000-0000-4000-8000-000000000000'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'TRANSACTION_NOT_FOUND' });
  });
});

describe('balances', () => {
  it('gets the balance and one wallet', async () => {
    const balance = await client().balance.get();
    expect(balance.data.available_balance.currency).toBe('USD');
    expect(balance.data.wallets.map((w) => w.id)).toEqual(expect.arrayContaining(['wal_global_001', 'wal_ghs_001']));
    const wallet = await client().balance.getWallet('wal_ghs_001');
    expect(wallet.data).toMatchObject({ id: 'wal_ghs_001', currency: 'GHS', type: 'local' });
  });

  it('throws NotFoundError for an unknown wallet', async () => {
    const error = await rejection(client().balance.getWallet('wal_nope_001'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ details: { resource: 'wallet' } });
  });
});

describe('keys', () => {
  it.each([
    ['revoked', AuthenticationError, 'REVOKED_API_KEY'],
    ['expired', AuthenticationError, 'EXPIRED_API_KEY'],
    ['airtime-read', PermissionError, 'INSUFFICIENT_PERMISSIONS'],
  ] as const)('the %s key gets %o with %s', async (name, ErrorClass, code) => {
    const error = await rejection(client({ apiKey: keys[name] }).balance.get());
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ code });
    expect(JSON.stringify(error)).not.toContain(keys[name]!.slice(8));
  });

  it('an unknown well-formed key gets AuthenticationError INVALID_API_KEY', async () => {
    const error = await rejection(client({ apiKey: `ce_live_${'Q'.repeat(32)}` }).catalog.countries());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'INVALID_API_KEY', status: 401 });
  });
});

describe('webhooks', () => {
  let server: Server;
  const received: Promise<WebhookEvent>[] = [];
  let hookUrl: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const verified = verifyWebhook({ rawBody, headers: req.headers, apiKey: keys.full });
        received.push(verified);
        verified.then(
          () => res.writeHead(204).end(),
          () => res.writeHead(400).end(),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('verifies the processing and completed deliveries the sandbox signs', async () => {
    const { data } = await client().topups.create({
      phone_number: '+233541112259',
      network_id: 22,
      product_id: '101',
      callback_url: hookUrl,
      reference: `${run}-hook`,
    });
    const deadline = Date.now() + 10_000;
    while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const events = await Promise.all(received);
    expect(events.map((e) => [e.type, e.data.id, e.data.status])).toEqual([
      ['topup.processing', data.id, 'processing'],
      ['topup.completed', data.id, 'completed'],
    ]);
  });
});
