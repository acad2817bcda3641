import { readRateLimit, readRetryAfter } from '../rate-limit.ts';
import { AuthenticationError } from './authentication-error.ts';
import { type ApiErrorCode, ClickAirtimeError, type ErrorDetails } from './clickairtime-error.ts';
import { DuplicateTransactionError } from './duplicate-transaction-error.ts';
import { InvalidRequestError } from './invalid-request-error.ts';
import { NotFoundError } from './not-found-error.ts';
import { PermissionError } from './permission-error.ts';
import { RateLimitError } from './rate-limit-error.ts';
import { ServerError } from './server-error.ts';

/** The error class of each status family. The spec ties every error code to one status, so this is also by code. */
const FAMILIES: Record<number, typeof ClickAirtimeError> = {
  400: InvalidRequestError,
  401: AuthenticationError,
  403: PermissionError,
  404: NotFoundError,
  409: DuplicateTransactionError,
  429: RateLimitError,
  500: ServerError,
};

interface Envelope {
  error?: { code?: unknown; message?: unknown; details?: ErrorDetails };
  meta?: { request_id?: string };
}

/**
 * Turns a response that is not a success envelope into the error of its family. A body that is not the
 * API's error envelope gets the code `INVALID_RESPONSE`.
 */
export function toError(response: Response, body: unknown, method: string, url: string): ClickAirtimeError {
  // Object() makes anything that is not an object (undefined, text, a number) an object with neither field.
  const { error, meta } = Object(body) as Envelope;
  const { status } = response;
  const code = typeof error?.code === 'string' ? (error.code as ApiErrorCode) : 'INVALID_RESPONSE';
  const ErrorClass = FAMILIES[status >= 500 ? 500 : status] ?? ClickAirtimeError;
  return new ErrorClass({
    code,
    status,
    message: typeof error?.message === 'string' ? error.message : `unexpected ${status} response`,
    details: error?.details,
    requestId: meta?.request_id,
    retryAfter: readRetryAfter(response.headers, Date.now()),
    rateLimit: readRateLimit(response.headers),
    method,
    url,
  });
}
