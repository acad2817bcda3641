/** The sandbox's API keys: the file format, loading, and the auth gate that checks them. */
import { readFileSync } from 'node:fs';
import { API_KEY_PATTERN, redactApiKey } from '../redact.ts';
import { ApiError } from './envelope.ts';

/** One key as the key file describes it. */
export interface SandboxKey {
  /** The full key, `ce_live_` + 32 letters or digits. */
  key: string;
  /** A short handle (`full`, `wallets-read`, ...) used in logs, tests and the README. */
  name: string;
  /** Permissions the key carries. */
  scopes: string[];
  revoked: boolean;
  /** ISO 8601 instant after which the key is refused, or `null`. */
  expires_at: string | null;
  /** Caller IPs allowed; empty means any. */
  allowed_ips: string[];
  description?: string;
}

/** The default key file, committed in the repo (public sandbox keys). */
export const DEFAULT_KEYS_FILE = new URL('./sandbox-keys.json', import.meta.url);

/** Reads and checks a key file: `{ "keys": [SandboxKey, ...] }` (a bare array is accepted too). */
export function loadKeys(file: URL | string = DEFAULT_KEYS_FILE): SandboxKey[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const list = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(list)) throw new Error('key file: expected { "keys": [...] }');
  return list.map((entry: Partial<SandboxKey>, i): SandboxKey => {
    if (typeof entry.key !== 'string' || !API_KEY_PATTERN.test(entry.key)) {
      throw new Error(`key file: entry ${i} (${entry.name ?? 'unnamed'}) has no key of the form ce_live_<32 letters or digits>`);
    }
    if (entry.expires_at != null && Number.isNaN(Date.parse(entry.expires_at))) {
      throw new Error(`key file: ${redactApiKey(entry.key)} has an expires_at that is not a date`);
    }
    return {
      key: entry.key,
      name: typeof entry.name === 'string' ? entry.name : `key-${i}`,
      scopes: Array.isArray(entry.scopes) ? entry.scopes.map(String) : [],
      revoked: entry.revoked === true,
      expires_at: entry.expires_at ?? null,
      allowed_ips: Array.isArray(entry.allowed_ips) ? entry.allowed_ips.map(String) : [],
      ...(entry.description ? { description: entry.description } : {}),
    };
  });
}

interface CompiledKey extends SandboxKey {
  expiresAtMs: number;
  scopeSet: ReadonlySet<string>;
  ipSet: ReadonlySet<string>;
}

const BEARER = /^Bearer +(\S+) *$/i;

/** Normalises an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) to its IPv4 form. */
export function normaliseIp(ip: string | undefined): string {
  if (!ip) return '';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/** The auth gate: who is calling, and may they call this operation? */
export class KeyStore {
  private readonly byKey = new Map<string, CompiledKey>();

  constructor(keys: readonly SandboxKey[]) {
    for (const k of keys) {
      this.byKey.set(k.key, {
        ...k,
        expiresAtMs: k.expires_at ? Date.parse(k.expires_at) : Number.POSITIVE_INFINITY,
        scopeSet: new Set(k.scopes),
        ipSet: new Set(k.allowed_ips.map(normaliseIp)),
      });
    }
  }

  /**
   * The key a request authenticates with, or the `ApiError` it earns, checked in the contract's
   * order: header present and Bearer, key well-formed, known, not revoked, not expired, caller IP
   * allowed, permission held.
   */
  authenticate(header: string | undefined, ip: string, permission: string | undefined): CompiledKey {
    const key = this.identify(header);
    if (key.revoked) throw new ApiError('REVOKED_API_KEY', `The API key ${redactApiKey(key.key)} has been revoked.`);
    if (Date.now() >= key.expiresAtMs) {
      throw new ApiError('EXPIRED_API_KEY', `The API key ${redactApiKey(key.key)} expired on ${key.expires_at}.`);
    }
    if (key.ipSet.size > 0 && !key.ipSet.has(ip)) {
      throw new ApiError('IP_NOT_ALLOWED', `Requests from ${ip} are not allowed for this API key.`, { ip });
    }
    if (permission !== undefined && !key.scopeSet.has(permission)) {
      throw new ApiError('INSUFFICIENT_PERMISSIONS', `This API key lacks the ${permission} permission.`, {
        required_permission: permission,
      });
    }
    return key;
  }

  /** The known key named by an `Authorization` header, or `INVALID_API_KEY`. */
  identify(header: string | undefined): CompiledKey {
    const m = header === undefined ? null : BEARER.exec(header);
    const token = m?.[1];
    if (!token || !API_KEY_PATTERN.test(token)) {
      throw new ApiError(
        'INVALID_API_KEY',
        'The API key is missing, malformed or unknown. Send Authorization: Bearer ce_live_<32 letters or digits>.',
      );
    }
    const key = this.byKey.get(token);
    if (!key) {
      throw new ApiError('INVALID_API_KEY', `The API key ${redactApiKey(token)} is unknown.`);
    }
    return key;
  }
}
