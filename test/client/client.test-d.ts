import { describe, expectTypeOf, it } from 'vitest';
import {
  createClickAirtimeClient,
  DuplicateTransactionError,
  verifyWebhook,
  type ApiResult,
  type components,
  type CreateTopupResult,
} from '../../src/index.ts';

type Schemas = components['schemas'];
const client = createClickAirtimeClient({ apiKey: `ce_live_${'x'.repeat(32)}` });

describe('the resource methods', () => {
  it('return the typed data of each operation', () => {
    expectTypeOf(client.balance.get()).resolves.toEqualTypeOf<ApiResult<Schemas['Balance']>>();
    expectTypeOf(client.balance.getWallet('wal_ghs_001')).resolves.toEqualTypeOf<ApiResult<Schemas['Wallet']>>();
    expectTypeOf(client.catalog.countries()).resolves.toEqualTypeOf<ApiResult<Schemas['Country'][]>>();
    expectTypeOf(client.catalog.lookup({ phone_number: '+233541112259' })).resolves.toEqualTypeOf<ApiResult<Schemas['CatalogLookup']>>();
    expectTypeOf(client.topups.create({ phone_number: '+1', network_id: 1, product_id: '101' })).resolves.toEqualTypeOf<CreateTopupResult>();
    expectTypeOf(client.topups.list()).resolves.toEqualTypeOf<ApiResult<Schemas['Topup'][], Schemas['ListMeta']>>();
    expectTypeOf(client.topups.listAll()).toEqualTypeOf<AsyncIterableIterator<Schemas['Topup']>>();
  });

  it('reject wrong body fields at compile time', () => {
    // @ts-expect-error network_id is a number
    void client.topups.create({ phone_number: '+233541112259', network_id: '22', product_id: '101' });
    // @ts-expect-error phone_number is required
    void client.topups.create({ network_id: 22, product_id: '101' });
    // @ts-expect-error `phone` is not a field
    void client.topups.create({ phone: '+233541112259', network_id: 22, product_id: '101' });
    // @ts-expect-error amount needs a currency
    void client.topups.create({ phone_number: '+233541112259', network_id: 22, amount: { value: 5 } });
  });

  it('reject wrong query parameters at compile time', () => {
    // @ts-expect-error status is an enum
    void client.topups.list({ status: 'done' });
    // @ts-expect-error sort is a closed list of fields
    void client.topups.list({ sort: 'phone_number' });
    // @ts-expect-error network_id is required for products
    void client.catalog.products({});
    // @ts-expect-error listAll manages page itself
    void client.topups.listAll({ page: 2 });
    // @ts-expect-error per-call options are typed too
    void client.balance.get({ retries: 3 });
  });
});

describe('the raw client', () => {
  it('types paths, parameters and bodies from the spec', async () => {
    const { data, error } = await client.raw.GET('/topups/{id}', { params: { path: { id: 'x' } } });
    expectTypeOf(data).toEqualTypeOf<Schemas['TopupResponse'] | undefined>();
    expectTypeOf(error).toExtend<Schemas['Error'] | undefined>();
    expectTypeOf(error?.error.code).toEqualTypeOf<Schemas['ErrorCode'] | undefined>();
  });

  it('rejects wrong paths, parameters and bodies at compile time', () => {
    // @ts-expect-error there is no /wallets path
    void client.raw.GET('/wallets');
    // @ts-expect-error /balance has no POST
    void client.raw.POST('/balance', {});
    // @ts-expect-error the path parameter is required
    void client.raw.GET('/topups/{id}', {});
    // @ts-expect-error per_page is a number
    void client.raw.GET('/topups', { params: { query: { per_page: '20' } } });
    // @ts-expect-error the body needs network_id
    void client.raw.POST('/topups', { body: { phone_number: '+233541112259', product_id: '101' } });
  });
});

describe('errors and webhooks', () => {
  it('narrow with the class guards', () => {
    const error: unknown = new Error();
    if (DuplicateTransactionError.is(error)) expectTypeOf(error.existingTopupId).toEqualTypeOf<string | undefined>();
  });

  it('type a verified webhook by its event', async () => {
    const event = await verifyWebhook({ rawBody: '', headers: {}, apiKey: '' });
    expectTypeOf(event.type).toEqualTypeOf<'topup.processing' | 'topup.completed' | 'topup.failed'>();
    expectTypeOf(event.data).toEqualTypeOf<Schemas['Topup']>();
  });
});
