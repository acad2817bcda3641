/** Shared test data for the client tests: keys, a top-up, envelopes and a scripted `fetch`. */
import type { components } from '../../generated/schema.d.ts';

export const KEY = 'ce_live_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';
export const PLACEHOLDER_KEY = `ce_live_${'x'.repeat(32)}`;
export const BASE_URL = 'https://api.test/v2';
export const TOPUP_ID = '3f9c2b1e-7a4d-4e8f-9b2a-6c5d4e3f2a1b';

export const topup: components['schemas']['Topup'] = {
  id: TOPUP_ID,
  status: 'pending',
  phone_number: '+233541112259',
  network: { id: 22, name: 'MTN Ghana', country: 'Ghana', country_code: 'GH' },
  amount: { value: 50, currency: 'GHS' },
  cost: { value: 4.05, currency: 'USD' },
  product_id: null,
  product_name: null,
  sms: { enabled: false },
  reference: 'ORDER-2026-0001',
  provider_reference: null,
  failure_reason: null,
  metadata: {},
  created_at: '2026-03-14T09:26:53.589Z',
  completed_at: null,
};

export const meta = { request_id: 'req_7k2m9x4p1q8z', timestamp: '2026-03-14T09:26:53.589Z' };

const RATE_HEADERS = { 'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': '299', 'X-RateLimit-Reset': '1773480480' };

/** A success envelope as a `Response`. */
export function ok(data: unknown, init: { status?: number; meta?: object; headers?: Record<string, string> } = {}) {
  return new Response(JSON.stringify({ success: true, data, meta: { ...meta, ...init.meta } }), {
    status: init.status ?? 200,
    headers: { 'Content-Type': 'application/json', ...RATE_HEADERS, ...init.headers },
  });
}

/** An error envelope as a `Response`. */
export function fail(
  status: number,
  code: components['schemas']['ErrorCode'],
  init: { details?: object; headers?: Record<string, string>; requestId?: string } = {},
) {
  const body = {
    success: false,
    error: { code, message: `${code} happened`, details: init.details ?? {} },
    meta: { ...meta, request_id: init.requestId ?? meta.request_id },
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...RATE_HEADERS, ...init.headers },
  });
}

type Step = Response | Error | ((request: Request) => Response | Promise<Response>);

/**
 * A `fetch` that answers from a script, one step per call, and records every request it was given
 * (cloned, so bodies can be read after the client is done).
 */
export function scriptedFetch(...steps: Step[]) {
  const requests: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    requests.push(request.clone());
    const step = steps.shift();
    if (step === undefined) throw new Error(`scriptedFetch: no step left for ${request.method} ${request.url}`);
    if (step instanceof Error) throw step;
    if (typeof step === 'function') return step(request);
    return step;
  };
  return { fetch, requests };
}
