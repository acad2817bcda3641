import { ClickAirtimeError } from './clickairtime-error.ts';

/**
 * HTTP 409 `DUPLICATE_TRANSACTION`: the `Idempotency-Key` was already used, and `existingTopupId` names the
 * top-up it created. Nothing new was sent.
 *
 * `topups.create` throws this when the key was used before the call: the first attempt gets the 409, or a retry
 * gets it after attempts the API answered with 408 or 429 (which did nothing). When a retry gets it after an
 * attempt that may have gone through (no answer, or a 5xx), `topups.create` returns that top-up instead, marked
 * `replayed`. Fetch the existing one with `topups.get(error.existingTopupId)`.
 */
export class DuplicateTransactionError extends ClickAirtimeError {
  override name = 'DuplicateTransactionError';

  /** The top-up that the key already created (`details.existing_topup_id`). */
  get existingTopupId(): string | undefined {
    return this.details.existing_topup_id;
  }
}
