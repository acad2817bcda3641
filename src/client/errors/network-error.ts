import { ClickAirtimeError } from './clickairtime-error.ts';

/** No response arrived (`NETWORK_ERROR`): DNS, connection refused or reset. Retried. For `topups.create`, the top-up may or may not exist: retry with the error's `idempotencyKey`. */
export class NetworkError extends ClickAirtimeError {
  override name = 'NetworkError';
}
