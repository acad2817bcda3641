import { ClickAirtimeError } from './clickairtime-error.ts';

/** HTTP 400: the request was refused as sent (a bad field, see `details.fields`, an unsupported network, a failed HLR lookup or `INSUFFICIENT_BALANCE`). Not retried. */
export class InvalidRequestError extends ClickAirtimeError {
  override name = 'InvalidRequestError';
}
