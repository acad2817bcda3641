import type { components } from '../../../generated/schema.d.ts';
import type { RateLimit } from '../rate-limit.ts';

/** An error code of the API (the spec's closed `ErrorCode` enum). */
export type ApiErrorCode = components['schemas']['ErrorCode'];

/**
 * A code the client itself assigns: `NETWORK_ERROR` (no response), `TIMEOUT` (no response in time),
 * `INVALID_RESPONSE` (a response that is not the API's JSON envelope, e.g. a proxy's HTML page).
 */
export type ClientErrorCode = 'NETWORK_ERROR' | 'TIMEOUT' | 'INVALID_RESPONSE';

/** The API's error `details` object. */
export type ErrorDetails = components['schemas']['ErrorDetails'];

/** What an error is made from. `message` must already be free of the API key. */
export interface ClickAirtimeErrorInit {
  /** The API's code, or the client's own. */
  code: ApiErrorCode | ClientErrorCode;
  /** What went wrong, for humans (the API's `error.message`). */
  message: string;
  /** The request's HTTP method. */
  method: string;
  /** The request's URL. */
  url: string;
  /** The HTTP status, when a response came. */
  status?: number | undefined;
  /** The API's `error.details`. */
  details?: ErrorDetails | undefined;
  /** The API's `meta.request_id`. */
  requestId?: string | undefined;
  /** `Retry-After`, in seconds. */
  retryAfter?: number | undefined;
  /** The response's rate-limit headers. */
  rateLimit?: RateLimit | undefined;
}

/**
 * The base of every error the client throws. Branch on `code` (the spec's enum, or a {@link ClientErrorCode}),
 * never on `message`. The message reads `METHOD URL: STATUS CODE message (request req_…)` and never contains
 * the API key.
 */
export class ClickAirtimeError extends Error {
  override name = 'ClickAirtimeError';
  /** The API's error code, or the client's own for transport failures. */
  declare readonly code: ApiErrorCode | ClientErrorCode;
  /** The HTTP status, or `undefined` when no response arrived. */
  declare readonly status: number | undefined;
  /** The API's `error.details` (an empty object when it gave none). */
  declare readonly details: ErrorDetails;
  /** The API's `meta.request_id`: quote it to support. */
  declare readonly requestId: string | undefined;
  /** Seconds to wait before trying again, from `Retry-After`, when the API sent it. */
  declare readonly retryAfter: number | undefined;
  /** The rate-limit headers of the response, when it had them. */
  declare readonly rateLimit: RateLimit | undefined;
  /** The HTTP method of the failed request. */
  declare readonly method: string;
  /** The URL of the failed request. */
  declare readonly url: string;
  /** On errors from `topups.create`, the `Idempotency-Key` it sent: retry with it to stay exactly-once. */
  declare idempotencyKey: string | undefined;

  constructor({ message, ...init }: ClickAirtimeErrorInit) {
    const status = init.status === undefined ? '' : ` ${init.status}`;
    const request = init.requestId ? ` (request ${init.requestId})` : '';
    super(`${init.method} ${init.url}:${status} ${init.code} ${message}${request}`);
    Object.assign(this, init, { details: init.details ?? {} });
  }

  /**
   * A type guard that works on every error class: `RateLimitError.is(error)`, `ClickAirtimeError.is(error)`.
   * @example if (DuplicateTransactionError.is(error)) await client.topups.get(error.existingTopupId!);
   */
  static is<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    return value instanceof this;
  }

  /** A plain summary for structured logs (an error's `message` is not enumerable, so it is added here). */
  toJSON(): object {
    return { ...this, message: this.message };
  }
}

/** Whether `value` is any error thrown by the client (an HTTP error, a network error or a timeout). */
export function isClickAirtimeError(value: unknown): value is ClickAirtimeError {
  return value instanceof ClickAirtimeError;
}
