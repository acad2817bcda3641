/**
 * The Click Airtime V2 client package: every export is named here. Runs in Node 20+, browsers and edge runtimes
 * (no Node-only imports).
 */
export {
  createClickAirtimeClient,
  type ApiResult,
  type ClickAirtimeClient,
  type CreateTopupResult,
  type ListAllTopupsQuery,
} from './client/client.ts';
export type { ClickAirtimeClientOptions, CreateTopupOptions, RequestOptions } from './client/options.ts';
export { DEFAULTS, type AttemptEvent, type Policy } from './client/policy.ts';
export type { RateLimit } from './client/rate-limit.ts';

export {
  ClickAirtimeError,
  isClickAirtimeError,
  type ApiErrorCode,
  type ClickAirtimeErrorInit,
  type ClientErrorCode,
  type ErrorDetails,
} from './client/errors/clickairtime-error.ts';
export { AuthenticationError } from './client/errors/authentication-error.ts';
export { PermissionError } from './client/errors/permission-error.ts';
export { InvalidRequestError } from './client/errors/invalid-request-error.ts';
export { NotFoundError } from './client/errors/not-found-error.ts';
export { DuplicateTransactionError } from './client/errors/duplicate-transaction-error.ts';
export { RateLimitError } from './client/errors/rate-limit-error.ts';
export { ServerError } from './client/errors/server-error.ts';
export { NetworkError } from './client/errors/network-error.ts';
export { TimeoutError } from './client/errors/timeout-error.ts';

export {
  signWebhook,
  verifyWebhook,
  isWebhookVerificationError,
  WebhookVerificationError,
  type HeadersLike,
  type SignWebhookOptions,
  type VerifyWebhookOptions,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookHeaders,
  type WebhookVerificationReason,
} from './webhooks.ts';

export { API_KEY_PATTERN, redactApiKey } from './redact.ts';
export type { components, operations, paths, webhooks } from '../generated/schema.d.ts';
