import { hex } from './hex.ts';

/**
 * A random (version 4) UUID from `crypto.getRandomValues`, which, unlike `crypto.randomUUID`, also exists in
 * browser pages served over plain http.
 */
export function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return hex(b).replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}
