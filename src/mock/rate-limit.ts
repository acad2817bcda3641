/** Fixed one-window rate limits per caller and category, as CONTRACT.md describes them. */
import type { RateCategory } from './spec.ts';

/** Requests allowed per window, by category. */
export interface RateLimits {
  /** Every GET other than the catalog lookup. @default 300 */
  read: number;
  /** Non-GET requests other than top-up creation. @default 120 */
  write: number;
  /** `POST /topups`. @default 60 */
  topup: number;
  /** `GET /catalog/lookup`. @default 120 */
  lookup: number;
  /** Window length in milliseconds. @default 60000 */
  windowMs: number;
}

/** The contract's limits. */
export const DEFAULT_RATE_LIMITS: RateLimits = { read: 300, write: 120, topup: 60, lookup: 120, windowMs: 60_000 };

/** What a request's rate-limit headers say. */
export interface RateState {
  limit: number;
  remaining: number;
  /** Unix seconds at which the window resets. */
  reset: number;
  /** Whether this request is over the limit. */
  limited: boolean;
  /** Seconds to wait (for `Retry-After`), when limited. */
  retryAfter: number;
}

interface Bucket {
  windowStart: number;
  count: number;
}

/** Counts requests per `caller + category` in fixed windows that open with the caller's first request. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly limits: RateLimits) {}

  /** Counts one request and says whether it fits. */
  hit(caller: string, category: RateCategory, now = Date.now()): RateState {
    const limit = this.limits[category];
    const { windowMs } = this.limits;
    const id = caller + '\u0000' + category;
    let bucket = this.buckets.get(id);
    // A window opens with a caller's first request in it and lasts `windowMs`.
    if (!bucket || now >= bucket.windowStart + windowMs) {
      bucket = { windowStart: now, count: 0 };
      this.buckets.set(id, bucket);
    }
    const resetMs = bucket.windowStart + windowMs;
    const limited = bucket.count >= limit;
    if (!limited) bucket.count++;
    return {
      limit,
      remaining: limit - bucket.count,
      reset: Math.ceil(resetMs / 1000),
      limited,
      retryAfter: Math.max(1, Math.ceil((resetMs - now) / 1000)),
    };
  }

  /** Forgets every count. */
  reset(): void {
    this.buckets.clear();
  }
}
