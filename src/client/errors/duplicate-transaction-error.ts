import { ClickAirtimeError } from './clickairtime-error.ts';

/**
 * HTTP 409 `DUPLICATE_TRANSACTION`: the `Idempotency-Key` was already used, and `existingTopupId` names the
 * top-up it created. Nothing new was sent.
 *
 * `topups.create` throws this only when the first attempt of a call gets the 409, that is when the caller
 * reused a key from an earlier call. (When a retry gets it, the call's own earlier attempt went through and
 * `topups.create` returns that top-up instead.) Fetch it with `topups.get(error.existingTopupId)`.
 */
export class DuplicateTransactionError extends ClickAirtimeError {
  override name = 'DuplicateTransactionError';

  /** The top-up that the key already created (`details.existing_topup_id`). */
  get existingTopupId(): string | undefined {
    return this.details.existing_topup_id;
  }
}
