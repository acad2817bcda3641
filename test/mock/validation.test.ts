import { describe, expect, test } from 'vitest';
import { codeFor, fromPrism, type Violation } from '../../src/mock/validation.ts';
import { call, errorCode } from './helpers.ts';

const GOOD = { phone_number: '+233541112259', network_id: 22, amount: { value: 50, currency: 'GHS' } };

describe('createTopup bodies', () => {
  test.each([
    ['a phone number without the plus', { ...GOOD, phone_number: '233541112259' }, 'INVALID_PHONE_NUMBER', 'body.phone_number', 'pattern'],
    ['a phone number given as a number', { ...GOOD, phone_number: 233541112259 }, 'INVALID_PHONE_NUMBER', 'body.phone_number', 'type'],
    ['no network_id', { phone_number: GOOD.phone_number, amount: GOOD.amount }, 'MISSING_REQUIRED_FIELD', 'body.network_id', 'required'],
    ['no phone_number', { network_id: 22, amount: GOOD.amount }, 'MISSING_REQUIRED_FIELD', 'body.phone_number', 'required'],
    ['network_id as a string', { ...GOOD, network_id: '22' }, 'MISSING_REQUIRED_FIELD', 'body.network_id', 'type'],
    ['a zero amount', { ...GOOD, amount: { value: 0, currency: 'GHS' } }, 'INVALID_AMOUNT', 'body.amount.value', 'exclusiveMinimum'],
    ['a negative amount', { ...GOOD, amount: { value: -5, currency: 'GHS' } }, 'INVALID_AMOUNT', 'body.amount.value', 'exclusiveMinimum'],
    ['an amount over the range', { ...GOOD, amount: { value: 5001, currency: 'GHS' } }, 'INVALID_AMOUNT', 'body.amount.value', 'range'],
    ['an amount in the wrong currency', { ...GOOD, amount: { value: 5, currency: 'USD' } }, 'INVALID_AMOUNT', 'body.amount.currency', 'currency'],
    ['both amount and product_id', { ...GOOD, product_id: '101' }, 'INVALID_AMOUNT', 'body.amount', 'oneOf'],
    ['neither amount nor product_id', { phone_number: GOOD.phone_number, network_id: 22 }, 'INVALID_AMOUNT', 'body.amount', 'oneOf'],
    ['a bundle the network does not sell', { phone_number: GOOD.phone_number, network_id: 22, product_id: '999' }, 'INVALID_AMOUNT', 'body.product_id', 'enum'],
    ['product_id as a number', { phone_number: GOOD.phone_number, network_id: 22, product_id: 101 }, 'MISSING_REQUIRED_FIELD', 'body.product_id', 'type'],
    ['an unknown field', { ...GOOD, colour: 'red' }, 'MISSING_REQUIRED_FIELD', 'body.colour', 'additionalProperties'],
    ['a callback_url that is not http(s)', { ...GOOD, callback_url: 'ftp://x.test/h' }, 'MISSING_REQUIRED_FIELD', 'body.callback_url', 'pattern'],
    ['a metadata value that is not a string', { ...GOOD, metadata: { n: 1 } }, 'MISSING_REQUIRED_FIELD', 'body.metadata.n', 'type'],
  ])('with %s is refused with %s naming %s', async (_name, body, code, field, issue) => {
    const reply = await call('POST', '/topups', { body });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe(code);
    expect(reply.body.error.details.fields).toContainEqual(expect.objectContaining({ field, issue }));
  });

  test('custom airtime on a bundle-only network is UNSUPPORTED_NETWORK', async () => {
    const reply = await call('POST', '/topups', { body: { ...GOOD, network_id: 24 } });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('UNSUPPORTED_NETWORK');
  });

  test('an unknown network is 404 NETWORK_NOT_FOUND', async () => {
    const reply = await call('POST', '/topups', { body: { ...GOOD, network_id: 999 } });
    expect(reply.status).toBe(404);
    expect(errorCode(reply)).toBe('NETWORK_NOT_FOUND');
    expect(reply.body.error.details.resource).toBe('network');
  });

  test('the vendor examples go through as written, network 42 included', async () => {
    const byAmount = await call('POST', '/topups', {
      body: { ...GOOD, sms: { enabled: true, message: 'Hi' }, reference: 'ORDER-2026-0001', callback_url: 'https://example.com/webhooks/clickairtime', metadata: { customer_id: 'cus_8812' } },
    });
    expect(byAmount.status).toBe(201);
    expect(byAmount.body.data).toMatchObject({ amount: { value: 50, currency: 'GHS' }, cost: { value: 4.05, currency: 'USD' }, sms: { enabled: true } });
    const byProduct = await call('POST', '/topups', { body: { phone_number: '+233541112259', network_id: 42, product_id: '101' } });
    expect(byProduct.status).toBe(201);
    expect(byProduct.body.data).toMatchObject({
      product_id: '101',
      product_name: '500MB Data - 30 Days',
      cost: { value: 2.5, currency: 'USD' },
      network: { id: 22, name: 'MTN Ghana' },
    });
  });
});

describe('query and path parameters', () => {
  test.each([
    ['/catalog/lookup?phone_number=0541112259', 'INVALID_PHONE_NUMBER', 'query.phone_number'],
    ['/catalog/lookup', 'MISSING_REQUIRED_FIELD', 'query.phone_number'],
    ['/catalog/lookup?network_id=abc', 'MISSING_REQUIRED_FIELD', 'query.network_id'],
    ['/catalog/products', 'MISSING_REQUIRED_FIELD', 'query.network_id'],
    ['/catalog/networks?country_code=gh', 'MISSING_REQUIRED_FIELD', 'query.country_code'],
    ['/topups?per_page=101', 'MISSING_REQUIRED_FIELD', 'query.per_page'],
    ['/topups?page=0', 'MISSING_REQUIRED_FIELD', 'query.page'],
    ['/topups?status=lost', 'MISSING_REQUIRED_FIELD', 'query.status'],
    ['/topups?sort=price', 'MISSING_REQUIRED_FIELD', 'query.sort'],
    ['/topups?from=yesterday', 'MISSING_REQUIRED_FIELD', 'query.from'],
    ['/topups?phone_number=abc', 'INVALID_PHONE_NUMBER', 'query.phone_number'],
    ['/topups/not-a-uuid', 'MISSING_REQUIRED_FIELD', 'path.id'],
    ['/balance/WAL-1', 'MISSING_REQUIRED_FIELD', 'path.wallet_id'],
  ])('GET %s is refused with %s naming %s', async (path, code, field) => {
    const reply = await call('GET', path);
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe(code);
    expect(reply.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
  });

  test('an unknown top-up id is 404 TRANSACTION_NOT_FOUND with resource topup', async () => {
    const reply = await call('GET', '/topups/00000000-0000-4000-8000-000000000000');
    expect(reply.status).toBe(404);
    expect(reply.body.error.details.resource).toBe('topup');
  });

  test('an unknown wallet is 404 TRANSACTION_NOT_FOUND with resource wallet', async () => {
    const reply = await call('GET', '/balance/wal_eur_001');
    expect(reply.status).toBe(404);
    expect(errorCode(reply)).toBe('TRANSACTION_NOT_FOUND');
    expect(reply.body.error.details.resource).toBe('wallet');
  });
});

describe('the translation of violations to vendor codes', () => {
  const v = (keys: string[], issue: string, location: Violation['location'] = 'body'): Violation => ({ location, keys, issue, message: 'x' });
  test.each([
    [[v(['network_id'], 'required'), v(['phone_number'], 'pattern')], 'MISSING_REQUIRED_FIELD'],
    [[v(['phone_number'], 'pattern'), v(['amount', 'value'], 'exclusiveMinimum')], 'INVALID_PHONE_NUMBER'],
    [[v(['phone_number'], 'pattern', 'query')], 'INVALID_PHONE_NUMBER'],
    [[v(['amount', 'currency'], 'pattern')], 'INVALID_AMOUNT'],
    [[v(['sms', 'enabled'], 'type')], 'MISSING_REQUIRED_FIELD'],
  ] as const)('%j gives %s', (violations, code) => {
    expect(codeFor(violations)).toBe(code);
  });

  test("Prism's violations keep the field a required or unknown property names", () => {
    expect(
      fromPrism([
        { path: ['body'], code: 'required', message: "Request body must have required property 'network_id'" },
        { path: ['body', 'phone_number'], code: 'pattern', message: 'Request body property phone_number must match pattern' },
        { path: ['query', 'page'], code: 'minimum', message: 'Request query parameter page must be >= 1' },
      ]).map((x) => [x.location, x.keys.join('.'), x.issue]),
    ).toEqual([
      ['body', 'network_id', 'required'],
      ['body', 'phone_number', 'pattern'],
      ['query', 'page', 'minimum'],
    ]);
  });
});
