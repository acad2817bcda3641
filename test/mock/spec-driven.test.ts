/** The mock reads permissions from the spec it is given, not from a list of its own. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startMockServer, type MockServer } from '../../src/mock/server.ts';
import { loadSpec } from '../../src/mock/spec.ts';
import { call, errorCode } from './helpers.ts';

let mock: MockServer;
const key = (name: string) => mock.keys.find((k) => k.name === name)!.key;

beforeAll(async () => {
  const spec = loadSpec();
  // Move getBalance to airtime.read, in the security scope and in x-permission.
  spec.paths['/balance'].get.security = [{ bearerAuth: ['airtime.read'] }];
  spec.paths['/balance'].get['x-permission'] = 'airtime.read';
  mock = await startMockServer({ port: 0, spec, selfCheck: true });
});

afterAll(async () => {
  await mock.close();
});

test('an operation whose scope changes in the spec asks the new permission', async () => {
  const walletsOnly = await call('GET', '/balance', { base: mock.baseUrl, key: key('wallets-read') });
  expect(walletsOnly.status).toBe(403);
  expect(errorCode(walletsOnly)).toBe('INSUFFICIENT_PERMISSIONS');
  expect(walletsOnly.body.error.details.required_permission).toBe('airtime.read');
  const catalogOnly = await call('GET', '/balance', { base: mock.baseUrl, key: key('airtime-read') });
  expect(catalogOnly.status).toBe(200);
  expect(mock.mismatches()).toEqual([]);
});
