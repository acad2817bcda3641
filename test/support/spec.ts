/** The bundled spec, loaded once for tests, with a few walkers over it. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deref as derefIn } from '../../src/mock/spec.ts';

export const root = fileURLToPath(new URL('../..', import.meta.url));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const spec: Json = JSON.parse(readFileSync(`${root}generated/openapi.json`, 'utf8'));

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

export interface OperationEntry {
  method: string;
  path: string;
  operation: Json;
}

/** Every API operation under `paths` (webhooks excluded). */
export function operations(): OperationEntry[] {
  return Object.entries(spec.paths as Record<string, Json>).flatMap(([path, item]) =>
    HTTP_METHODS.filter((m) => item[m]).map((method) => ({ method, path, operation: item[method] })),
  );
}

/** Follows a local `$ref` (`#/components/...`) in the bundled spec (the mock's resolver). */
export const deref = (node: Json): Json => derefIn(spec, node);

/** JSON pointer of a path of keys. */
export function pointer(keys: readonly string[]): string {
  return '/' + keys.map((k) => encodeURIComponent(k.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
}

/** Visits every node of the spec with its key path. */
export function walk(node: Json, visit: (node: Json, keys: string[]) => void, keys: string[] = []): void {
  if (node === null || typeof node !== 'object') return;
  visit(node, keys);
  for (const [key, child] of Object.entries(node)) walk(child, visit, [...keys, key]);
}

/** The error codes each HTTP status may carry (CONTRACT.md's table). */
export const CODES_BY_STATUS: Record<string, readonly string[]> = {
  '401': ['INVALID_API_KEY', 'EXPIRED_API_KEY', 'REVOKED_API_KEY'],
  '403': ['IP_NOT_ALLOWED', 'INSUFFICIENT_PERMISSIONS'],
  '400': [
    'INVALID_PHONE_NUMBER',
    'MISSING_REQUIRED_FIELD',
    'INVALID_AMOUNT',
    'UNSUPPORTED_NETWORK',
    'HLR_LOOKUP_FAILED',
    'INSUFFICIENT_BALANCE',
  ],
  '404': ['NETWORK_NOT_FOUND', 'TRANSACTION_NOT_FOUND'],
  '409': ['DUPLICATE_TRANSACTION'],
  '429': ['RATE_LIMIT_EXCEEDED'],
  '500': ['DELIVERY_FAILED', 'INTERNAL_ERROR'],
};
