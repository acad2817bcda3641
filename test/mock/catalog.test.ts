import { describe, expect, test } from 'vitest';
import { call } from './helpers.ts';
import { type Json } from './helpers.ts';

describe('the sandbox catalog', () => {
  test('lists Ghana, Nigeria and Kenya with their networks', async () => {
    const reply = await call('GET', '/catalog/countries');
    expect(reply.body.data.map((c: Json) => c.code)).toEqual(['GH', 'NG', 'KE']);
    const ghana = reply.body.data[0];
    expect(ghana).toMatchObject({ name: 'Ghana', currency: 'GHS', calling_code: '+233' });
    expect(ghana.networks.map((n: Json) => [n.id, n.supports_custom_airtime])).toEqual([
      [22, true],
      [23, true],
      [24, false],
    ]);
  });

  test('filters networks by country', async () => {
    const kenya = await call('GET', '/catalog/networks?country_code=KE');
    expect(kenya.body.data.every((n: Json) => n.country_code === 'KE')).toBe(true);
    expect(kenya.body.data.length).toBeGreaterThan(0);
    expect((await call('GET', '/catalog/networks?country_code=FR')).body.data).toEqual([]);
  });

  test('detects MTN Ghana for +233541112259 and prices bundle 101 as documented', async () => {
    const reply = await call('GET', '/catalog/lookup?phone_number=%2B233541112259');
    expect(reply.status).toBe(200);
    const data = reply.body.data;
    expect(data).toMatchObject({ phone_number: '+233541112259', network: { id: 22, name: 'MTN Ghana' }, network_source: 'hlr' });
    expect(data.exchange_rate).toEqual({ source_currency: 'USD', destination_currency: 'GHS', rate: 12.35 });
    expect(data.products.custom_airtime).toEqual({ available: true, min_amount_local: 1, max_amount_local: 5000, local_currency: 'GHS' });
    expect(data.products.fixed_bundles).toContainEqual({
      id: 101,
      name: '500MB Data - 30 Days',
      type: 'DATA',
      price_usd: 2.5,
      local_value: 30.88,
      local_currency: 'GHS',
      validity_days: 30,
    });
  });

  test('lets network_id override detection, 42 being MTN Ghana', async () => {
    const reply = await call('GET', '/catalog/lookup?phone_number=%2B233541112259&network_id=23');
    expect(reply.body.data).toMatchObject({ network: { id: 23 }, network_source: 'network_id' });
    const alias = await call('GET', '/catalog/products?network_id=42');
    expect(alias.body.data.network.name).toBe('MTN Ghana');
  });

  test('says AirtelTigo Ghana sells bundles only', async () => {
    const reply = await call('GET', '/catalog/products?network_id=24');
    expect(reply.body.data.products.custom_airtime).toMatchObject({ available: false, min_amount_local: null });
    expect(reply.body.data.products.fixed_bundles.length).toBe(reply.body.data.network.product_count);
  });

  test('gives HLR_LOOKUP_FAILED for a number no network claims', async () => {
    const reply = await call('GET', '/catalog/lookup?phone_number=%2B15551234567');
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('HLR_LOOKUP_FAILED');
  });

  test('gives 404 NETWORK_NOT_FOUND for an unknown network', async () => {
    const reply = await call('GET', '/catalog/lookup?network_id=999');
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe('NETWORK_NOT_FOUND');
  });
});
