import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ClickAirtimeError,
  DuplicateTransactionError,
  InvalidRequestError,
  isClickAirtimeError,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  TimeoutError,
  type ApiErrorCode,
} from '../../../src/index.ts';
import { toError } from '../../../src/client/errors/to-error.ts';
import { spec } from '../../support/spec.ts';
import { fail } from '../fixtures.ts';

// The spec's table of codes (ErrorCode's description), with the class each family maps to.
const TABLE: [ApiErrorCode, number, typeof ClickAirtimeError][] = [
  ['INVALID_API_KEY', 401, AuthenticationError],
  ['EXPIRED_API_KEY', 401, AuthenticationError],
  ['REVOKED_API_KEY', 401, AuthenticationError],
  ['IP_NOT_ALLOWED', 403, PermissionError],
  ['INSUFFICIENT_PERMISSIONS', 403, PermissionError],
  ['INVALID_PHONE_NUMBER', 400, InvalidRequestError],
  ['MISSING_REQUIRED_FIELD', 400, InvalidRequestError],
  ['INVALID_AMOUNT', 400, InvalidRequestError],
  ['UNSUPPORTED_NETWORK', 400, InvalidRequestError],
  ['HLR_LOOKUP_FAILED', 400, InvalidRequestError],
  ['INSUFFICIENT_BALANCE', 400, InvalidRequestError],
  ['NETWORK_NOT_FOUND', 404, NotFoundError],
  ['TRANSACTION_NOT_FOUND', 404, NotFoundError],
  ['DUPLICATE_TRANSACTION', 409, DuplicateTransactionError],
  ['RATE_LIMIT_EXCEEDED', 429, RateLimitError],
  ['DELIVERY_FAILED', 500, ServerError],
  ['INTERNAL_ERROR', 500, ServerError],
];

async function errorFor(response: Response) {
  return toError(response, await response.json(), 'GET', 'https://api.test/v2/balance');
}

describe('toError', () => {
  it('covers exactly the spec’s closed list of codes', () => {
    expect(TABLE.map(([code]) => code).sort()).toEqual([...spec.components.schemas.ErrorCode.enum].sort());
  });

  it.each(TABLE)('maps %s (HTTP %i) to %o', async (code, status, ErrorClass) => {
    const error = await errorFor(fail(status, code, { details: { resource: 'topup' }, requestId: 'req_abcdefghijkl' }));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(ClickAirtimeError);
    expect(error.name).toBe(ErrorClass.name);
    expect(error).toMatchObject({ code, status, details: { resource: 'topup' }, requestId: 'req_abcdefghijkl' });
    expect(error.message).toBe(`GET https://api.test/v2/balance: ${status} ${code} ${code} happened (request req_abcdefghijkl)`);
  });

  it('reads Retry-After and the rate-limit headers onto the error', async () => {
    const error = await errorFor(fail(429, 'RATE_LIMIT_EXCEEDED', { headers: { 'Retry-After': '17' } }));
    expect(error).toMatchObject({ retryAfter: 17, rateLimit: { limit: 300, remaining: 299, reset: 1773480480 } });
  });

  it('maps an unknown 5xx by its family and a status with no family to the base class', async () => {
    const unavailable = toError(new Response('', { status: 503 }), '', 'GET', 'u');
    expect(unavailable).toBeInstanceOf(ServerError);
    expect(unavailable.code).toBe('INVALID_RESPONSE');
    const teapot = toError(new Response('', { status: 418 }), '', 'GET', 'u');
    expect(teapot.constructor).toBe(ClickAirtimeError);
  });

  it('gives an empty details object when the API gave none', () => {
    expect(toError(new Response('', { status: 500 }), undefined, 'GET', 'u').details).toEqual({});
  });
});

describe('the error classes', () => {
  const duplicate = new DuplicateTransactionError({
    code: 'DUPLICATE_TRANSACTION',
    message: 'already used',
    method: 'POST',
    url: 'https://api.test/v2/topups',
    status: 409,
    details: { existing_topup_id: '3f9c2b1e-7a4d-4e8f-9b2a-6c5d4e3f2a1b' },
  });

  it('have a type guard on every class, true for the class and its subclasses only', () => {
    expect(DuplicateTransactionError.is(duplicate)).toBe(true);
    expect(ClickAirtimeError.is(duplicate)).toBe(true);
    expect(isClickAirtimeError(duplicate)).toBe(true);
    expect(RateLimitError.is(duplicate)).toBe(false);
    expect(NetworkError.is(new Error('x'))).toBe(false);
    expect(TimeoutError.is(undefined)).toBe(false);
  });

  it('expose the existing top-up of a duplicate', () => {
    expect(duplicate.existingTopupId).toBe('3f9c2b1e-7a4d-4e8f-9b2a-6c5d4e3f2a1b');
  });

  it('serialise to JSON with their message and fields', () => {
    expect(JSON.parse(JSON.stringify(duplicate))).toEqual({
      name: 'DuplicateTransactionError',
      code: 'DUPLICATE_TRANSACTION',
      message: 'POST https://api.test/v2/topups: 409 DUPLICATE_TRANSACTION already used',
      method: 'POST',
      url: 'https://api.test/v2/topups',
      status: 409,
      details: { existing_topup_id: '3f9c2b1e-7a4d-4e8f-9b2a-6c5d4e3f2a1b' },
    });
  });
});
