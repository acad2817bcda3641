/** The rate-limit headers of a response, as numbers. */
export interface RateLimit {
  /** Requests allowed per minute in this endpoint's category (`X-RateLimit-Limit`). */
  limit: number;
  /** Requests left in the current window (`X-RateLimit-Remaining`). */
  remaining: number;
  /** When the window resets, in Unix seconds (`X-RateLimit-Reset`). */
  reset: number;
}

/** Reads `X-RateLimit-*`; `undefined` unless all three are numbers. */
export function readRateLimit(headers: Headers): RateLimit | undefined {
  const read = (name: string) => Number(headers.get(`x-ratelimit-${name}`) || NaN);
  const rateLimit = { limit: read('limit'), remaining: read('remaining'), reset: read('reset') };
  return rateLimit.limit >= 0 && rateLimit.remaining >= 0 && rateLimit.reset >= 0 ? rateLimit : undefined;
}

/**
 * Reads `Retry-After` in seconds: a number of seconds, or an HTTP date (measured from `now`, in ms).
 * A date in the past gives 0; anything else unreadable gives `undefined`.
 */
export function readRetryAfter(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.isNaN(+value) ? (Date.parse(value) - now) / 1000 : +value;
  return Number.isNaN(seconds) ? undefined : Math.max(0, seconds);
}
