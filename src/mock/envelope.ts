/** The response envelopes of the contract: success, list and error, each with a fresh `meta`. */
import { randomBytes } from 'node:crypto';
import type { components } from '../../generated/schema.d.ts';

/** The error codes of the spec's closed enum (from the generated types, so it cannot drift). */
export type ErrorCode = components['schemas']['ErrorCode'];

/** HTTP status of each code (CONTRACT.md's table). */
export const STATUS_OF: Record<ErrorCode, number> = {
  INVALID_API_KEY: 401,
  EXPIRED_API_KEY: 401,
  REVOKED_API_KEY: 401,
  IP_NOT_ALLOWED: 403,
  INSUFFICIENT_PERMISSIONS: 403,
  INVALID_PHONE_NUMBER: 400,
  MISSING_REQUIRED_FIELD: 400,
  INVALID_AMOUNT: 400,
  UNSUPPORTED_NETWORK: 400,
  HLR_LOOKUP_FAILED: 400,
  INSUFFICIENT_BALANCE: 400,
  NETWORK_NOT_FOUND: 404,
  TRANSACTION_NOT_FOUND: 404,
  DUPLICATE_TRANSACTION: 409,
  RATE_LIMIT_EXCEEDED: 429,
  DELIVERY_FAILED: 500,
  INTERNAL_ERROR: 500,
};

/** One field-level problem, as `error.details.fields[]` lists it. */
export interface FieldError {
  field: string;
  issue: string;
  message: string;
}

/** A vendor error on its way to becoming an envelope; handlers throw it. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.status = STATUS_OF[code];
  }
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
// Random bytes are drawn in blocks: one syscall per ~340 request ids instead of one each.
let pool = randomBytes(4096);
let offset = 0;

/** A fresh `req_` + 12 lowercase letters or digits. */
export function requestId(): string {
  if (offset + 12 > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  let id = 'req_';
  for (let i = 0; i < 12; i++) id += ALPHABET[pool[offset++]! % 36];
  return id;
}

/** `meta` for a response produced now. */
export function meta(): { request_id: string; timestamp: string } {
  return { request_id: requestId(), timestamp: new Date().toISOString() };
}

/** The error envelope. */
export function errorBody(code: ErrorCode, message: string, details: Record<string, unknown> = {}): string {
  return JSON.stringify({ success: false, error: { code, message, details }, meta: meta() });
}

/** The success envelope (`extraMeta` carries pagination on lists). */
export function successBody(data: unknown, extraMeta?: Record<string, unknown>): string {
  return JSON.stringify({ success: true, data, meta: extraMeta ? { ...meta(), ...extraMeta } : meta() });
}

/** The success envelope around data serialised once in advance (static catalog answers). */
export function successRawBody(dataJson: string): string {
  const m = meta();
  return `{"success":true,"data":${dataJson},"meta":{"request_id":"${m.request_id}","timestamp":"${m.timestamp}"}}`;
}
