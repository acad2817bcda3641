import { expectTypeOf, test } from 'vitest';
import type { components, paths } from '../../generated/schema.d.ts';

type CreateBody = paths['/topups']['post']['requestBody']['content']['application/json'];

test('a top-up body by amount or by product type-checks', () => {
  const byAmount: CreateBody = { phone_number: '+233541112259', network_id: 22, amount: { value: 50, currency: 'GHS' } };
  const byProduct: CreateBody = { phone_number: '+233541112259', network_id: 22, product_id: '101' };
  expectTypeOf(byAmount).toMatchTypeOf<CreateBody>();
  expectTypeOf(byProduct).toMatchTypeOf<CreateBody>();
});

test('a wrong request body is rejected at compile time', () => {
  // @ts-expect-error network_id is an integer, not a string
  const wrongType: CreateBody = { phone_number: '+233541112259', network_id: '22', product_id: '101' };
  // @ts-expect-error phone_number is required
  const missing: CreateBody = { network_id: 22, product_id: '101' };
  // @ts-expect-error `phone` is not a field
  const unknown: CreateBody = { phone: '+233541112259', network_id: 22, product_id: '101' };
  void [wrongType, missing, unknown];
});

test('the error code is the closed enum', () => {
  expectTypeOf<components['schemas']['ErrorCode']>().toEqualTypeOf<
    | 'INVALID_API_KEY'
    | 'EXPIRED_API_KEY'
    | 'REVOKED_API_KEY'
    | 'IP_NOT_ALLOWED'
    | 'INSUFFICIENT_PERMISSIONS'
    | 'INVALID_PHONE_NUMBER'
    | 'MISSING_REQUIRED_FIELD'
    | 'INVALID_AMOUNT'
    | 'UNSUPPORTED_NETWORK'
    | 'HLR_LOOKUP_FAILED'
    | 'INSUFFICIENT_BALANCE'
    | 'NETWORK_NOT_FOUND'
    | 'TRANSACTION_NOT_FOUND'
    | 'DUPLICATE_TRANSACTION'
    | 'RATE_LIMIT_EXCEEDED'
    | 'DELIVERY_FAILED'
    | 'INTERNAL_ERROR'
  >();
});
