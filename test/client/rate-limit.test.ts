import { describe, expect, it } from 'vitest';
import { readRateLimit, readRetryAfter } from '../../src/client/rate-limit.ts';

const NOW = Date.parse('2026-03-14T09:00:00Z');

describe('readRateLimit', () => {
  it.each([
    [{ 'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1773480480' }, { limit: 300, remaining: 0, reset: 1773480480 }],
    [{ 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '59', 'x-ratelimit-reset': '1' }, { limit: 60, remaining: 59, reset: 1 }],
    [{ 'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': '299' }, undefined],
    [{ 'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': 'many', 'X-RateLimit-Reset': '1' }, undefined],
    [{ 'X-RateLimit-Limit': '', 'X-RateLimit-Remaining': '1', 'X-RateLimit-Reset': '1' }, undefined],
    [{}, undefined],
  ])('reads %o as %o', (headers, expected) => {
    expect(readRateLimit(new Headers(headers))).toEqual(expected);
  });
});

describe('readRetryAfter', () => {
  it.each([
    ['17', 17],
    ['0', 0],
    ['1.5', 1.5],
    ['Sat, 14 Mar 2026 09:00:30 GMT', 30],
    ['Sat, 14 Mar 2026 08:59:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
  ])('reads Retry-After %j as %o seconds', (value, expected) => {
    expect(readRetryAfter(new Headers({ 'Retry-After': value }), NOW)).toBe(expected);
  });

  it('is undefined without the header', () => {
    expect(readRetryAfter(new Headers(), NOW)).toBeUndefined();
  });
});
