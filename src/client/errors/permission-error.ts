import { ClickAirtimeError } from './clickairtime-error.ts';

/** HTTP 403: the key lacks the permission (`INSUFFICIENT_PERMISSIONS`, see `details.required_permission`) or the caller's IP is not allowed (`IP_NOT_ALLOWED`). */
export class PermissionError extends ClickAirtimeError {
  override name = 'PermissionError';
}
