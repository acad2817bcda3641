import { ClickAirtimeError } from './clickairtime-error.ts';

/**
 * HTTP 429 `RATE_LIMIT_EXCEEDED`, once the retries are spent or `Retry-After` is longer than the client will wait.
 * `retryAfter` says how many seconds to wait; `rateLimit` holds the limit headers.
 */
export class RateLimitError extends ClickAirtimeError {
  override name = 'RateLimitError';
}
