import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClickAirtimeClient, verifyWebhook, type ApiErrorCode } from '../../src/index.ts';

// Property: whatever the key and whatever goes wrong, the key's 32-character body shows up in no thrown error
// (message, stack, util.inspect, JSON, toString), no attempt event and no view of the client.

const keyBody = fc.stringMatching(/^[A-Za-z0-9]{32}$/);
const codes: [ApiErrorCode, number][] = [
  ['INVALID_API_KEY', 401],
  ['REVOKED_API_KEY', 401],
  ['INSUFFICIENT_PERMISSIONS', 403],
  ['INVALID_PHONE_NUMBER', 400],
  ['TRANSACTION_NOT_FOUND', 404],
  ['DUPLICATE_TRANSACTION', 409],
  ['RATE_LIMIT_EXCEEDED', 429],
  ['DELIVERY_FAILED', 500],
  ['INTERNAL_ERROR', 500],
];

type Path =
  | { kind: 'api-error'; code: ApiErrorCode; status: number; echo: boolean }
  | { kind: 'network'; inCause: boolean }
  | { kind: 'timeout' }
  | { kind: 'not-json'; status: number }
  | { kind: 'abort' };

const path: fc.Arbitrary<Path> = fc.oneof(
  fc.record({
    kind: fc.constant('api-error' as const),
    code: fc.constantFrom(...codes.map(([c]) => c)),
    status: fc.constantFrom(400, 401, 403, 404, 409, 429, 500, 503),
    echo: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('network' as const), inCause: fc.boolean() }),
  fc.record({ kind: fc.constant('timeout' as const) }),
  fc.record({ kind: fc.constant('not-json' as const), status: fc.constantFrom(200, 502) }),
  fc.record({ kind: fc.constant('abort' as const) }),
);
const call = fc.constantFrom('create', 'get', 'list', 'listAll', 'raw', 'lookup');

function views(value: unknown): string[] {
  const error = value as Error;
  return [
    String(value),
    error?.message ?? '',
    error?.stack ?? '',
    inspect(value, { showHidden: true, depth: null }),
    inspect(value, { showHidden: true, depth: null, customInspect: false }),
    JSON.stringify(value) ?? '',
  ];
}

function fetchFor(p: Path, apiKey: string) {
  return async (request: Request): Promise<Response> => {
    // A hostile or careless server, proxy or fetch echoes the key (or the whole Authorization header) back.
    const echo = `${request.headers.get('Authorization')} ${apiKey}`;
    switch (p.kind) {
      case 'api-error': {
        const body = {
          success: false,
          error: { code: p.code, message: p.echo ? `bad key ${echo}` : 'nope', details: p.echo ? { key: apiKey, auth: echo } : {} },
          meta: { request_id: `req_${apiKey.slice(8, 20).toLowerCase()}`, timestamp: '2026-03-14T09:26:53.589Z' },
        };
        return new Response(JSON.stringify(body), { status: p.status, headers: { 'X-Echo': echo } });
      }
      case 'network':
        throw p.inCause ? new TypeError('fetch failed', { cause: new Error(`refused ${echo}`) }) : new TypeError(`failed ${echo}`);
      case 'timeout':
        return new Promise(() => {});
      case 'not-json':
        return new Response(`<html>${echo}</html>`, { status: p.status });
      case 'abort':
        throw new DOMException(`aborted ${echo}`, 'AbortError');
    }
  };
}

describe('the API key', () => {
  it('never appears in an error, an attempt event or a view of the client, whatever the key and the failure', async () => {
    await fc.assert(
      fc.asyncProperty(keyBody, path, call, async (body, p, which) => {
        const apiKey = `ce_live_${body}`;
        const events: unknown[] = [];
        const client = createClickAirtimeClient({
          apiKey,
          baseUrl: 'https://api.test/v2',
          fetch: fetchFor(p, apiKey),
          maxRetries: 0,
          timeoutMs: 5,
          onAttempt: (e) => events.push(e),
        });
        const topupBody = { phone_number: '+233541112259', network_id: 22, product_id: '101' };
        const calls = {
          create: () => client.topups.create(topupBody),
          get: () => client.topups.get('3f9c2b1e-7a4d-4e8f-9b2a-6c5d4e3f2a1b'),
          list: () => client.topups.list({ reference: 'x' }),
          listAll: async () => {
            for await (const t of client.topups.listAll()) void t;
          },
          raw: async () => {
            const { error } = await client.raw.GET('/balance');
            throw error ?? new Error('no error');
          },
          lookup: () => client.catalog.lookup({ phone_number: '+233541112259' }),
        };
        const thrown = await calls[which]().then(
          () => new Error('expected a failure'),
          (e: unknown) => e,
        );
        for (const view of [...views(thrown), ...views(client), JSON.stringify(events)]) {
          expect(view).not.toContain(body);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never appears when a malformed key is refused', () => {
    fc.assert(
      fc.property(keyBody, fc.constantFrom('ce_test_', 'CE_LIVE_', 'ce_live', ' ce_live_', ''), fc.string({ maxLength: 3 }), (body, prefix, suffix) => {
        const apiKey = `${prefix}${body}${suffix}`;
        fc.pre(!/^ce_live_[A-Za-z0-9]{32}$/.test(apiKey));
        let thrown: unknown;
        try {
          createClickAirtimeClient({ apiKey });
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(TypeError);
        for (const view of views(thrown)) expect(view).not.toContain(body);
      }),
      { numRuns: 300 },
    );
  });

  it('never appears in a webhook verification error', async () => {
    await fc.assert(
      fc.asyncProperty(keyBody, fc.string(), async (body, rawBody) => {
        const apiKey = `ce_live_${body}`;
        const headers = { 'X-Webhook-Event': 'topup.completed', 'X-Webhook-Timestamp': '100', 'X-Webhook-Signature': body };
        const thrown = await verifyWebhook({ rawBody, headers, apiKey, now: 100 }).catch((e: unknown) => e);
        // The header itself carries the body here, so look for the key with its prefix in what the error says.
        for (const view of views(thrown)) expect(view).not.toContain(apiKey);
      }),
      { numRuns: 100 },
    );
  });
});
