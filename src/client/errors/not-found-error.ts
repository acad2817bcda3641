import { ClickAirtimeError } from './clickairtime-error.ts';

/** HTTP 404: `NETWORK_NOT_FOUND` or `TRANSACTION_NOT_FOUND` (`details.resource` says what was missing). */
export class NotFoundError extends ClickAirtimeError {
  override name = 'NotFoundError';
}
