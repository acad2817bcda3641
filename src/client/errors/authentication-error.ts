import { ClickAirtimeError } from './clickairtime-error.ts';

/** HTTP 401: the key is missing, malformed, unknown (`INVALID_API_KEY`), expired (`EXPIRED_API_KEY`) or revoked (`REVOKED_API_KEY`). */
export class AuthenticationError extends ClickAirtimeError {
  override name = 'AuthenticationError';
}
