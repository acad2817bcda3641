import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseMockArgs } from '../../src/mock/cli.ts';
import { loadKeys } from '../../src/mock/keys.ts';
import { startMockBin } from '../support/mock-bin.ts';
import { call } from './helpers.ts';

describe('parseMockArgs', () => {
  test('reads flags, falls back to the environment, and lets flags win', () => {
    const opts = parseMockArgs(['--port', '0', '--limit-topup=5', '--self-check'], {
      MOCK_PORT: '9999',
      MOCK_HOST: '0.0.0.0',
      MOCK_PROCESSING_DELAY_MS: '10',
    });
    expect(opts).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      selfCheck: true,
      delays: { processingMs: 10 },
      rateLimits: { topup: 5 },
    });
  });

  test('refuses a number that is not whole, and an unknown flag', () => {
    expect(() => parseMockArgs(['--port', '40.5'], {})).toThrow(/whole number/);
    expect(() => parseMockArgs(['--nope'], {})).toThrow();
  });
});

describe('the committed sandbox keys', () => {
  test('include full, one read-only key per permission, revoked, expired and ip-restricted', () => {
    const keys = loadKeys();
    const byName = new Map(keys.map((k) => [k.name, k]));
    expect(byName.get('full')?.scopes.sort()).toEqual(['airtime.read', 'airtime.transactions.read', 'airtime.write', 'wallets.read']);
    for (const name of ['airtime-read', 'airtime-write', 'transactions-read', 'wallets-read']) {
      expect(byName.get(name)?.scopes).toHaveLength(1);
    }
    expect(byName.get('revoked')?.revoked).toBe(true);
    expect(Date.parse(byName.get('expired')!.expires_at!)).toBeLessThan(Date.now());
    expect(byName.get('ip-restricted')?.allowed_ips).not.toContain('127.0.0.1');
    for (const k of keys) expect(k.key).toMatch(/^ce_live_[A-Za-z0-9]{32}$/);
  });
});

test('the clickairtime-mock bin starts, prints where it listens, and answers with the printed key', async () => {
  const bin = fileURLToPath(new URL('../../src/mock/bin.mjs', import.meta.url));
  const { base, key, stop } = await startMockBin(process.execPath, [bin]);
  try {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
    const reply = await call('GET', '/balance', { base, key });
    expect(reply.status).toBe(200);
    expect(reply.body.success).toBe(true);
  } finally {
    stop();
  }
});
