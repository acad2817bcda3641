/**
 * The sandbox mock server, in-process: a `node:http` server whose gates run in this order for
 * each API request: route match (our own table, built once from the bundled spec) → auth gate
 * (scope read from the spec) → rate-limit gate → body parsing and request validation (compiled
 * Ajv, translated to vendor codes) → the stateful handler, or Prism for requests that carry
 * `Prefer: code=`/`example=` (plain mode). Every answer is an envelope with `X-RateLimit-*`.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ApiError, errorBody, meta, successBody } from './envelope.ts';
import { HANDLERS } from './handlers.ts';
import { DEFAULT_KEYS_FILE, KeyStore, loadKeys, normaliseIp, type SandboxKey } from './keys.ts';
import { parsePrefer, PlainMode } from './prism.ts';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits, type RateState } from './rate-limit.ts';
import { ResponseChecker, type Mismatch } from './self-check.ts';
import { loadSpec, operationTable, Router, type Json, type OperationInfo, type RateCategory } from './spec.ts';
import { DEFAULT_DELAYS, Sandbox, type Delays, type DeliveryLog, type Topup } from './state.ts';
import { RequestValidator } from './validation.ts';

/** Options of {@link startMockServer}. */
export interface MockServerOptions {
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Port; `0` picks a free one. @default 4010 */
  port?: number;
  /** Key file (`{ "keys": [...] }`). @default src/mock/sandbox-keys.json */
  keysFile?: string | URL;
  /** Keys given directly (instead of a file). */
  keys?: SandboxKey[];
  /** Lifecycle delays. @default { processingMs: 2000, completionMs: 3000, webhookRetryMs: 1000 } */
  delays?: Partial<Delays>;
  /** Rate limits per key and category. @default CONTRACT.md's (300/120/60/120 per minute) */
  rateLimits?: Partial<RateLimits>;
  /** Largest accepted request body in bytes. @default 1048576 */
  maxBodyBytes?: number;
  /** Check every response against the spec and record mismatches. @default false */
  selfCheck?: boolean;
  /** The docs page served at `/` and `/docs` (read per request, so a rebuild shows at once). */
  docsFile?: string;
  /** HTML served at `/` and `/docs` when there is no docs file. */
  docsFallbackHtml?: string;
  /**
   * Hold the spec's documented top-up (the `getTopup` example) from the start and after each
   * reset, so the docs' `GET /topups/{id}` answers as written. Tests that count the whole
   * ledger turn it off. @default true
   */
  documentedTopups?: boolean;
  /**
   * `loopback` keeps webhook deliveries on this machine (tests, benchmarks); `any` sends them
   * where `callback_url` says (the CLI's choice). @default 'loopback'
   */
  webhooks?: 'any' | 'loopback';
  /** Where lifecycle notes go (webhook failures). @default nowhere */
  log?: (line: string) => void;
  /** The bundled spec. @default generated/openapi.json */
  spec?: Json;
}

/** A running mock server. */
export interface MockServer {
  /** `http://HOST:PORT` */
  url: string;
  /** `url` + the spec's base path (`/v2`). */
  baseUrl: string;
  port: number;
  /** The keys it accepts. */
  keys: readonly SandboxKey[];
  /** Stops listening, ends open connections and stops the lifecycle timers. */
  close(): Promise<void>;
  /** Back to the starting state (wallets, top-ups, idempotency keys, rate-limit counts). */
  reset(balances?: Record<string, number>): void;
  /** Responses that did not match the spec (self-check mode only). */
  mismatches(): readonly Mismatch[];
  /** Webhook deliveries so far. */
  deliveries(): readonly DeliveryLog[];
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
/** Past this many bytes a rejected upload is no longer drained: the connection is dropped. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

interface Reply {
  status: number;
  body: string;
  rate: RateState;
  extra?: Record<string, string | number>;
}

/** Starts a sandbox mock server. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const {
    host = '127.0.0.1',
    port = 4010,
    keysFile = DEFAULT_KEYS_FILE,
    maxBodyBytes = 1024 * 1024,
    selfCheck = false,
    docsFile,
    docsFallbackHtml,
    log = () => {},
    webhooks = 'loopback',
    documentedTopups = true,
  } = options;
  const spec: Json = options.spec ?? loadSpec();
  const keys = options.keys ?? loadKeys(keysFile);
  const limits: RateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const delays: Delays = { ...DEFAULT_DELAYS, ...options.delays };

  const ops = operationTable(spec);
  for (const op of ops) {
    if (!HANDLERS[op.operationId]) throw new Error(`mock: the spec has ${op.operationId}, which has no handler`);
  }
  const basePath = basePathOf(spec);
  const router = new Router(ops);
  const keyStore = new KeyStore(keys);
  const limiter = new RateLimiter(limits);
  const validator = new RequestValidator(spec, ops);
  // The documented top-up (the getTopup example) is held from the start, so the docs' request works.
  const documentedTopup = spec.components?.examples?.TopupCompleted?.value?.data as Topup | undefined;
  const seedTopups = documentedTopups && documentedTopup ? [documentedTopup] : [];
  const sandbox = new Sandbox(delays, log, { seedTopups, webhooks });
  const plain = await PlainMode.create(spec);
  const checker = selfCheck ? new ResponseChecker(spec, ops) : undefined;

  function send(
    res: ServerResponse,
    reply: Reply,
    op: OperationInfo | undefined,
    method: string,
    path: string,
    // Admin answers (`/__sandbox/*`) are outside the spec, so self-check skips them.
    checked = true,
  ): void {
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(reply.body),
      'X-RateLimit-Limit': reply.rate.limit,
      'X-RateLimit-Remaining': reply.rate.remaining,
      'X-RateLimit-Reset': reply.rate.reset,
      ...reply.extra,
    };
    if (reply.status === 429 && headers['Retry-After'] === undefined) headers['Retry-After'] = reply.rate.retryAfter;
    res.writeHead(reply.status, headers);
    res.end(reply.body);
    if (checked) checker?.check(op, method, path, reply.status, headers, reply.body);
  }

  function errorReply(err: unknown, rate: RateState): Reply {
    if (err instanceof ApiError) return { status: err.status, body: errorBody(err.code, err.message, err.details), rate };
    log(`internal error: ${err instanceof Error ? err.message : String(err)}`);
    return {
      status: 500,
      body: errorBody('INTERNAL_ERROR', 'Something went wrong on our side; it is safe to retry with the same Idempotency-Key.'),
      rate,
    };
  }

  /** Rate-limit headers for a caller we could not identify: counted per IP, never refused. */
  function anonymousRate(ip: string, category: RateCategory): RateState {
    const state = limiter.hit(`ip:${ip}`, category);
    return { ...state, limited: false, remaining: Math.max(0, state.remaining) };
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, query: string): Promise<void> {
    const method = req.method ?? 'GET';
    const ip = normaliseIp(req.socket.remoteAddress);
    const underBase = path === basePath || path.startsWith(basePath + '/');
    const match = underBase ? router.match(method, path.slice(basePath.length) || '/') : undefined;
    if (!match) {
      req.resume();
      const rate = anonymousRate(ip, method === 'GET' ? 'read' : 'write');
      const err = new ApiError('TRANSACTION_NOT_FOUND', `No route ${method} ${path.slice(0, 200)}.`, { resource: 'route' });
      return send(res, errorReply(err, rate), undefined, method, path);
    }
    const { op } = match;
    let apiKey: string;
    try {
      apiKey = keyStore.authenticate(req.headers.authorization, ip, op.permission).key;
    } catch (err) {
      req.resume();
      return send(res, errorReply(err, anonymousRate(ip, op.category)), op, method, path);
    }
    const rate = limiter.hit(apiKey, op.category);
    if (rate.limited) {
      req.resume();
      const err = new ApiError(
        'RATE_LIMIT_EXCEEDED',
        `Rate limit of ${rate.limit} requests per window exceeded; retry in ${rate.retryAfter} seconds.`,
        { retry_after_seconds: rate.retryAfter },
      );
      return send(res, { ...errorReply(err, rate), extra: { 'Retry-After': rate.retryAfter } }, op, method, path);
    }
    try {
      const { body, hasBody } = await readBody(req, validator.takesBody(op.operationId), maxBodyBytes);
      const queryRecord = parseQuery(query);
      const pref = parsePrefer(req.headers.prefer);
      // Our validator runs first in both modes, so a request is judged (and translated) the same
      // way whether Prism or a handler answers it; Prism's own violations remain a backstop.
      const input = validator.validate(op.operationId, queryRecord, match.params, req.headers, body, hasBody);
      if (pref) {
        const answer = await plain.answer(op.operationId, pref, {
          method,
          path: path.slice(basePath.length),
          query: queryRecord,
          headers: flatHeaders(req),
          body,
        });
        // Prism answers from the examples; the envelope's meta is made fresh so request ids stay unique.
        const out = answer.body as { meta?: Record<string, unknown> } | undefined;
        if (out && typeof out === 'object' && out.meta && typeof out.meta === 'object') Object.assign(out.meta, meta());
        const extra: Record<string, number> = {};
        if (answer.status === 429) {
          const seconds = (out as { error?: { details?: { retry_after_seconds?: unknown } } }).error?.details?.retry_after_seconds;
          extra['Retry-After'] = typeof seconds === 'number' ? seconds : rate.retryAfter;
        }
        return send(res, { status: answer.status, body: JSON.stringify(out ?? null), rate, extra }, op, method, path);
      }
      const result = HANDLERS[op.operationId]!({ input, apiKey, headers: req.headers, sandbox });
      return send(res, { status: result.status, body: result.body, rate }, op, method, path);
    } catch (err) {
      return send(res, errorReply(err, rate), op, method, path);
    }
  }

  async function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    const rate = anonymousRate(normaliseIp(req.socket.remoteAddress), method === 'GET' ? 'read' : 'write');
    try {
      if (path === '/__sandbox/reset' && method === 'POST') {
        const { body, hasBody } = await readBody(req, true, maxBodyBytes, false);
        const balances = hasBody ? ((body as { balances?: Record<string, number> })?.balances ?? {}) : {};
        for (const [id, value] of Object.entries(balances)) {
          if (typeof value !== 'number' || !(value >= 0)) {
            throw new ApiError('MISSING_REQUIRED_FIELD', `balances.${id} must be a number ≥ 0.`);
          }
        }
        sandbox.reset(balances);
        limiter.reset();
        return send(res, { status: 200, body: successBody({ reset: true }), rate }, undefined, method, path, false);
      }
      if (path === '/__sandbox/self-check' && method === 'GET') {
        req.resume();
        const data = { enabled: checker !== undefined, checked: checker?.checked ?? 0, mismatches: checker?.mismatches ?? [] };
        return send(res, { status: 200, body: successBody(data), rate }, undefined, method, path, false);
      }
      if (path === '/__sandbox/webhooks' && method === 'GET') {
        req.resume();
        return send(res, { status: 200, body: successBody(sandbox.deliveries), rate }, undefined, method, path, false);
      }
      req.resume();
      throw new ApiError('TRANSACTION_NOT_FOUND', `No route ${method} ${path.slice(0, 200)}.`, { resource: 'route' });
    } catch (err) {
      return send(res, errorReply(err, rate), undefined, method, path, false);
    }
  }

  async function handleDocs(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume();
    let html = docsFallbackHtml ?? FALLBACK_HTML;
    if (docsFile) {
      try {
        html = await readFile(docsFile, 'utf8');
      } catch {
        // Fall back to the note: the docs may be mid-rebuild.
      }
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
    res.end(req.method === 'HEAD' ? undefined : html);
  }

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? '' : url.slice(q + 1);
    let done: Promise<void>;
    if (path === basePath || path.startsWith(basePath + '/')) done = handleApi(req, res, path, query);
    else if (path.startsWith('/__sandbox/')) done = handleAdmin(req, res, path);
    else if ((path === '/' || path === '/docs' || path === '/docs/') && (req.method === 'GET' || req.method === 'HEAD')) {
      done = handleDocs(req, res);
    } else done = handleApi(req, res, path, query);
    done.catch((err: unknown) => {
      // Last line of defence: the answer is still an envelope, and the server keeps serving.
      log(`unhandled: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) {
        const rate = limiter.hit('ip:unhandled', 'read');
        send(res, errorReply(err, rate), undefined, req.method ?? 'GET', path);
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // Node's parser refused the request (bad header bytes, oversized headers...): answer in the envelope.
    if (!socket.writable || (err.code === 'ECONNRESET')) return socket.destroy();
    const body = errorBody('MISSING_REQUIRED_FIELD', 'The request could not be parsed as HTTP.', {
      fields: [{ field: 'header', issue: 'http', message: 'The request line or a header is malformed.' }],
    });
    const rate = limiter.hit('ip:' + normaliseIp(socket.remoteAddress), 'read');
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'X-RateLimit-Limit': rate.limit,
      'X-RateLimit-Remaining': Math.max(0, rate.remaining),
      'X-RateLimit-Reset': rate.reset,
      Connection: 'close',
    };
    checker?.check(undefined, '?', '?', 400, headers, body);
    const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.end(`HTTP/1.1 400 Bad Request\r\n${head}\r\n${body}`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  return {
    url,
    baseUrl: url + basePath,
    port: actualPort,
    keys,
    reset(balances) {
      sandbox.reset(balances);
      limiter.reset();
    },
    mismatches: () => checker?.mismatches ?? [],
    deliveries: () => sandbox.deliveries,
    close() {
      sandbox.close();
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

/** The path of the spec's first server URL (`/v2`). */
function basePathOf(spec: Json): string {
  const server = spec.servers?.[0]?.url;
  if (typeof server !== 'string') return '';
  try {
    return new URL(server, 'http://x').pathname.replace(/\/$/, '');
  } catch {
    return '';
  }
}

function parseQuery(query: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (query === '') return out;
  for (const [k, v] of new URLSearchParams(query)) if (!(k in out)) out[k] = v;
  return out;
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function bodyError(field: string, issue: string, message: string): ApiError {
  return new ApiError('MISSING_REQUIRED_FIELD', message, { fields: [{ field, issue, message }] });
}

/**
 * Reads a JSON body without ever holding more than `max` bytes: too large (by Content-Length or
 * by counting), wrong content type and malformed JSON all become `MISSING_REQUIRED_FIELD`.
 * Rejected uploads are drained (not stored) so the client can read the answer.
 */
function readBody(
  req: IncomingMessage,
  wanted: boolean,
  max: number,
  strictType = true,
): Promise<{ body: unknown; hasBody: boolean }> {
  const length = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (!wanted || (!chunked && (length === undefined || length === '0'))) {
    req.resume();
    return Promise.resolve({ body: undefined, hasBody: false });
  }
  const drain = () => {
    let seen = 0;
    req.on('data', (c: Buffer) => {
      seen += c.length;
      if (seen > DRAIN_LIMIT) req.socket.destroy();
    });
    req.resume();
  };
  if (length !== undefined && Number(length) > max) {
    drain();
    return Promise.reject(bodyError('body', 'maxLength', `The request body is larger than ${max} bytes.`));
  }
  const type = req.headers['content-type'];
  if (strictType && (type === undefined || !JSON_TYPE.test(type))) {
    drain();
    return Promise.reject(bodyError('header.Content-Type', 'content_type', 'Content-Type must be application/json.'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > DRAIN_LIMIT) req.socket.destroy();
      if (tooBig) return;
      if (size > max) {
        tooBig = true;
        chunks.length = 0;
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => reject(bodyError('body', 'incomplete', 'The request body was not received in full.')));
    req.on('end', () => {
      if (tooBig) return reject(bodyError('body', 'maxLength', `The request body is larger than ${max} bytes.`));
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({ body: undefined, hasBody: false });
      try {
        resolve({ body: JSON.parse(text), hasBody: true });
      } catch {
        reject(bodyError('body', 'json', 'The request body is not valid JSON.'));
      }
    });
  });
}

const FALLBACK_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Click Airtime V2 sandbox</title></head>
<body><h1>Click Airtime V2 sandbox</h1>
<p>The mock server is running: the API is under <code>/v2</code>. The docs page is not built yet
(<code>npm run docs</code>).</p></body></html>
`;
