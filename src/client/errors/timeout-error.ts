import { ClickAirtimeError } from './clickairtime-error.ts';

/** No response within `timeoutMs` (`TIMEOUT`). Retried. For `topups.create`, the top-up may or may not exist: retry with the error's `idempotencyKey`. */
export class TimeoutError extends ClickAirtimeError {
  override name = 'TimeoutError';
}
