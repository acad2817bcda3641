import { ClickAirtimeError } from './clickairtime-error.ts';

/** HTTP 5xx: `INTERNAL_ERROR` (retried) or `DELIVERY_FAILED` (a final outcome of a top-up, never retried). */
export class ServerError extends ClickAirtimeError {
  override name = 'ServerError';
}
