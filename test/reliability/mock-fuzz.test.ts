/**
 * Mock fuzzing: thousands of requests generated from the spec (valid and invalid) against a mock of
 * our own, each answer checked: no hang, a status the operation declares, a body that matches the
 * spec, never a stack trace or a local path. Seeded and replayable:
 *
 *   FUZZ_SEED=<seed> FUZZ_PATH=<path> npx vitest run test/reliability/mock-fuzz.test.ts
 *
 * (fast-check prints the seed and path of any failure.)
 */
import fc from 'fast-check';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValidateFunction } from 'ajv';
import { startMockServer, type MockServer } from '../../src/mock/server.ts';
import { createSpecAjv, SPEC_ID } from '../support/ajv.ts';
import { deref, operations, pointer, spec, type Json } from '../support/spec.ts';
import { requestArb, type FuzzRequest } from './spec-arbitraries.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 5_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const PATH = process.env.FUZZ_PATH;
const REQUEST_TIMEOUT_MS = 10_000;

/** Text that would betray the implementation: stack frames, local paths, Prism's own errors. */
const LEAKS: readonly RegExp[] = [
  /\bat [\w$.<>]+ \(/,
  /\bat (?:file:|node:|\/)/,
  /node:internal/,
  /node_modules/,
  /\/work\//,
  /\/(?:home|root|tmp|Users)\//,
  /\.(?:ts|js|mjs):\d+/,
  /stoplight\.io|NO_PATH_MATCHED|UNPROCESSABLE_ENTITY/,
  /(?:TypeError|ReferenceError|SyntaxError|RangeError): /,
];

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(base: URL, agent: Agent, req: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    const headers = { ...req.headers, ...(body && { 'content-length': String(body.length) }) };
    const r = request(
      { host: base.hostname, port: base.port, method: req.method, path: `${base.pathname}${req.target}`, headers, agent, timeout: REQUEST_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms (hang)`)));
    r.on('error', reject);
    r.end(body);
  });
}

/** Where in the spec a response's JSON schema lives (following a `$ref` to a shared response). */
function schemaPointer(op: { method: string; path: string }, status: string): string | undefined {
  const keys = ['paths', op.path, op.method, 'responses', status];
  let node = spec.paths[op.path][op.method].responses[status];
  let at: string[] = keys;
  while (node && typeof node.$ref === 'string') {
    at = (node.$ref as string).replace(/^#\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    node = deref(node);
  }
  return node?.content?.['application/json']?.schema ? `#${pointer([...at, 'content', 'application/json', 'schema'])}` : undefined;
}

describe('the mock under fuzzing', () => {
  let mock: MockServer;
  let sink: Server;
  let sinkUrl = '';
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const ajv = createSpecAjv();
  const validators = new Map<string, ValidateFunction>();
  const validatorFor = (ref: string): ValidateFunction => {
    let v = validators.get(ref);
    if (!v) {
      v = ajv.compile({ $ref: `${SPEC_ID}${ref}` });
      validators.set(ref, v);
    }
    return v;
  };
  const errorSchema = '#/components/schemas/Error';
  const stats = { requests: 0, byKind: {} as Record<string, number>, byStatus: {} as Record<string, number> };

  beforeAll(async () => {
    // A local sink for any webhook a generated callback_url would trigger: nothing leaves loopback.
    sink = createServer((req, res) => {
      req.resume();
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`;
    mock = await startMockServer({
      port: 0,
      delays: { processingMs: 20, completionMs: 20 },
      // Limits stay on but high: a fuzz run should reach the handlers, not only 429s.
      rateLimits: { read: 100_000, write: 100_000, topup: 100_000, lookup: 100_000 },
    });
  });

  afterAll(async () => {
    agent.destroy();
    await mock?.close();
    await new Promise<void>((resolve) => sink?.close(() => resolve()));
    console.info(`mock fuzzing: ${stats.requests} requests`, JSON.stringify(stats.byKind), JSON.stringify(stats.byStatus));
  });

  it(`answers ${RUNS} generated requests with declared statuses, spec-valid envelopes and no leaks`, async () => {
    const keys = Object.fromEntries(mock.keys.map((k) => [k.name, k.key])) as Record<string, string>;
    const full = keys.full!;
    const others = Object.entries(keys).filter(([name]) => name !== 'full').map(([, key]) => key);
    const base = new URL(mock.baseUrl);
    const declared = new Map(operations().map((o) => [`${o.method} ${o.path}`, Object.keys(o.operation.responses as Json)]));
    let runs = 0;

    await fc.assert(
      fc.asyncProperty(requestArb({ full, others }, sinkUrl), async (req) => {
        // Refill the wallets now and then so valid top-ups keep reaching the success path.
        if (++runs % 500 === 0) mock.reset();
        const answer = await send(base, agent, req);
        stats.requests++;
        stats.byKind[req.kind] = (stats.byKind[req.kind] ?? 0) + 1;
        stats.byStatus[answer.status] = (stats.byStatus[answer.status] ?? 0) + 1;
        const where = `${req.method} ${req.target} → ${answer.status}`;

        const allowed = req.operation ? declared.get(`${req.operation.method} ${req.operation.path}`)! : ['404', '405'];
        expect(allowed, `${where}: status not declared`).toContain(String(answer.status));
        expect(String(answer.headers['content-type']), `${where}: content type`).toMatch(/^application\/json\b/);
        const text = `${answer.body}\n${JSON.stringify(answer.headers)}`;
        for (const leak of LEAKS) expect(text, `${where}: leaks ${leak}`).not.toMatch(leak);

        let body: unknown;
        expect(() => (body = JSON.parse(answer.body)), `${where}: body is not JSON`).not.toThrow();
        const ref = req.operation ? schemaPointer(req.operation, String(answer.status)) : errorSchema;
        expect(ref, `${where}: the spec gives no schema`).toBeDefined();
        const validate = validatorFor(ref!);
        expect(validate(body) ? [] : validate.errors, `${where}: body does not match ${ref}\n${answer.body.slice(0, 500)}`).toEqual([]);

        if (req.operation) {
          const response = deref(spec.paths[req.operation.path][req.operation.method].responses[String(answer.status)]);
          for (const name of Object.keys(response.headers ?? {})) {
            expect(answer.headers[name.toLowerCase()], `${where}: header ${name} missing`).toBeDefined();
          }
        }
      }),
      { numRuns: RUNS, seed: SEED, ...(PATH && { path: PATH }), endOnFailure: true },
    );

    // Still serving after all that.
    const health = await send(base, agent, { kind: 'operation', method: 'GET', target: '/balance', headers: { authorization: `Bearer ${full}` } });
    expect(health.status).toBe(200);
    expect(stats.requests).toBeGreaterThanOrEqual(RUNS);
  }, 300_000);
});
