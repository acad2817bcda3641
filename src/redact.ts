/** API-key format and redaction, shared by the client and the mock server. */

/** The documented key format: `ce_live_` and exactly 32 ASCII letters or digits. */
export const API_KEY_PATTERN: RegExp = /^ce_live_[A-Za-z0-9]{32}$/;

/**
 * Shows a key without revealing it: `ce_live_****` plus its last four characters.
 * Anything that is not a string, or is too short to have a tail worth showing, becomes `ce_live_****`.
 * @example redactApiKey('ce_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxx9f3a') // 'ce_live_****9f3a'
 */
export function redactApiKey(key: unknown): string {
  if (typeof key !== 'string' || key.length < 12) return 'ce_live_****';
  return `ce_live_****${key.slice(-4)}`;
}
