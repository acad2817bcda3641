/** Why `verifyWebhook` rejected a delivery. */
export type WebhookVerificationReason =
  | 'missing_header'
  | 'unknown_event'
  | 'invalid_timestamp'
  | 'stale_timestamp'
  | 'invalid_signature'
  | 'invalid_body'
  | 'event_mismatch';

/**
 * Thrown by `verifyWebhook` when a delivery cannot be trusted. Branch on `reason`.
 * The message never contains the API key or the expected signature.
 */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  /** Why the delivery was rejected. */
  readonly reason: WebhookVerificationReason;

  constructor(reason: WebhookVerificationReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** Type guard for {@link WebhookVerificationError}. */
export function isWebhookVerificationError(value: unknown): value is WebhookVerificationError {
  return value instanceof WebhookVerificationError;
}
