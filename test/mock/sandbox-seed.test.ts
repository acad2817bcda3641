/**
 * What the sandbox holds before anyone calls it, and where it may send webhooks: the docs'
 * documented `GET /topups/{id}` must answer as written, and a mock started in-process (tests,
 * benchmarks) must never post a webhook off this machine.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startMockServer, type MockServer } from '../../src/mock/server.ts';
import { spec } from '../support/spec.ts';
import { call, eventually } from './helpers.ts';

const documented = spec.components.examples.TopupCompleted.value.data;

let mock: MockServer;
let key: string;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, selfCheck: true, delays: { processingMs: 1, completionMs: 1 } });
  key = mock.keys.find((k) => k.name === 'full')!.key;
});
afterAll(() => mock.close());

test('the documented top-up is held from the start, exactly as the spec shows it', async () => {
  const reply = await call('GET', `/topups/${documented.id}`, { base: mock.baseUrl, key });
  expect(reply.status).toBe(200);
  expect(reply.body.data).toEqual(documented);
});

test('the documented top-up is back after a reset, and it cost no wallet anything', async () => {
  const before = (await call('GET', '/balance', { base: mock.baseUrl, key })).body.data;
  await call('POST', '/__sandbox/reset', { base: mock.url, key: null });
  expect((await call('GET', `/topups/${documented.id}`, { base: mock.baseUrl, key })).status).toBe(200);
  expect((await call('GET', '/balance', { base: mock.baseUrl, key })).body.data).toEqual(before);
});

test('an in-process mock records a webhook to a non-loopback callback_url as not sent, and sends nothing', async () => {
  const created = await call('POST', '/topups', {
    base: mock.baseUrl,
    key,
    body: {
      phone_number: '+233541112259',
      network_id: 22,
      amount: { value: 5, currency: 'GHS' },
      callback_url: 'https://example.com/webhooks/clickairtime',
    },
  });
  expect(created.status).toBe(201);
  const log = await eventually(async () => {
    const entries = (await call('GET', '/__sandbox/webhooks', { base: mock.url, key: null })).body.data as { topup_id: string; status: number | null; error: string | null }[];
    const mine = entries.filter((e) => e.topup_id === created.body.data.id);
    return mine.length >= 2 ? mine : undefined;
  });
  for (const entry of log) {
    expect(entry.status).toBeNull();
    expect(entry.error).toMatch(/loopback addresses only/);
  }
});

test('every response this file got from its mock matches the spec', () => {
  expect(mock.mismatches()).toEqual([]);
});
