import { describe, expect, it } from 'vitest';
import { hex } from '../../src/client/hex.ts';

describe('hex', () => {
  it.each([
    [[], ''],
    [[0, 1, 15, 16, 255], '00010f10ff'],
  ])('writes %o as %j', (bytes, expected) => {
    expect(hex(new Uint8Array(bytes))).toBe(expected);
  });
});
