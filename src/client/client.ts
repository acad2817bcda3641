import createClient, { createQuerySerializer, removeTrailingSlash } from 'openapi-fetch';
import type { Client } from 'openapi-fetch';
import type { components, operations, paths } from '../../generated/schema.d.ts';
import { API_KEY_PATTERN, redactApiKey } from '../redact.ts';
import { deadlines } from './deadline.ts';
import { ClickAirtimeError } from './errors/clickairtime-error.ts';
import { toError } from './errors/to-error.ts';
import type { ClickAirtimeClientOptions, CreateTopupOptions, RequestOptions } from './options.ts';
import { DEFAULTS, override, send, type Transport } from './policy.ts';
import { type RateLimit, readRateLimit } from './rate-limit.ts';

/** The runtime's fetch as this module found it. */
const builtinFetch = globalThis.fetch;

type Schemas = components['schemas'];
type Query<K extends keyof operations> = NonNullable<operations[K]['parameters']['query']>;

/** What every resource method resolves with: the envelope's `data`, its `meta` and the rate-limit headers. */
export interface ApiResult<T, M = Schemas['Meta']> {
  /** The envelope's `data`. */
  data: T;
  /** The envelope's `meta`: `request_id`, `timestamp` (and `pagination` on lists). */
  meta: M;
  /** The response's `X-RateLimit-*` headers, when it had them (read from the response when first asked for). */
  readonly rateLimit: RateLimit | undefined;
}

/** What `topups.create` resolves with. */
export interface CreateTopupResult extends ApiResult<Schemas['Topup']> {
  /** The `Idempotency-Key` sent (the caller's or a generated one): keep it to look the call up or retry it. */
  idempotencyKey: string;
  /**
   * `true` when an attempt's answer was lost and a retry got `409 DUPLICATE_TRANSACTION` for this call's own key:
   * the top-up is the one that attempt created, fetched with `GET /topups/{id}` (so `meta` is that request's).
   */
  replayed: boolean;
}

/** Query of `topups.listAll`: the filters of `topups.list`; `page` is managed by the iterator. */
export type ListAllTopupsQuery = Omit<Query<'listTopups'>, 'page'>;

/** The client made by {@link createClickAirtimeClient}. */
export interface ClickAirtimeClient {
  /**
   * The typed openapi-fetch client over the same policy (retries, timeouts, idempotency, credentials):
   * `{ data, error, response }`, errors as values. A create replayed after a lost answer comes back as `200`.
   * Middleware (`raw.use`, or `middleware` on one call) sees a real `Request`, as openapi-fetch documents;
   * without any, the call skips building one.
   * @example const { data, error } = await client.raw.GET('/balance');
   */
  readonly raw: Client<paths>;
  /** The catalog (permission `airtime.read`). */
  readonly catalog: {
    /** `GET /catalog/lookup`: a number's network (by HLR, or `network_id`) and what can be sent to it. */
    lookup(query: Query<'lookupCatalog'>, options?: RequestOptions): Promise<ApiResult<Schemas['CatalogLookup']>>;
    /** `GET /catalog/countries`: supported countries with their networks. */
    countries(options?: RequestOptions): Promise<ApiResult<Schemas['Country'][]>>;
    /** `GET /catalog/networks`: networks, optionally of one country. */
    networks(query?: Query<'listNetworks'>, options?: RequestOptions): Promise<ApiResult<Schemas['Network'][]>>;
    /** `GET /catalog/products`: a network's custom-airtime range and bundles. */
    products(query: Query<'listProducts'>, options?: RequestOptions): Promise<ApiResult<Schemas['ProductCatalog']>>;
  };
  /** Top-ups (`airtime.write` to create, `airtime.transactions.read` to read). */
  readonly topups: {
    /**
     * `POST /topups`, exactly once: the same `Idempotency-Key` on every attempt, and a lost answer recovered.
     * @throws {DuplicateTransactionError} when the first attempt finds the key already used by an earlier call.
     */
    create(body: Schemas['CreateTopupRequest'], options?: CreateTopupOptions): Promise<CreateTopupResult>;
    /** `GET /topups`: one page of top-ups; `meta.pagination` says where it sits. */
    list(query?: Query<'listTopups'>, options?: RequestOptions): Promise<ApiResult<Schemas['Topup'][], Schemas['ListMeta']>>;
    /** `GET /topups/{id}`: one top-up and its status. */
    get(id: string, options?: RequestOptions): Promise<ApiResult<Schemas['Topup']>>;
    /**
     * Every top-up matching `query`, page after page (100 a page unless `per_page` says otherwise). A top-up that
     * shifts to a later page while iterating is yielded once.
     * @example for await (const topup of client.topups.listAll({ status: 'failed' })) console.log(topup.id);
     */
    listAll(query?: ListAllTopupsQuery, options?: RequestOptions): AsyncIterableIterator<Schemas['Topup']>;
  };
  /** Balances and wallets (`wallets.read`). */
  readonly balance: {
    /** `GET /balance`: the USD total and every wallet. */
    get(options?: RequestOptions): Promise<ApiResult<Schemas['Balance']>>;
    /** `GET /balance/{wallet_id}`: one wallet. */
    getWallet(walletId: string, options?: RequestOptions): Promise<ApiResult<Schemas['Wallet']>>;
  };
  /** The rate-limit headers of the latest response seen by any call of this client. */
  readonly rateLimit: RateLimit | undefined;
  /** A redacted summary (`baseUrl` and `ce_live_****` + last 4 of the key). */
  toJSON(): { baseUrl: string; apiKey: string };
  /** The same redacted summary, as text. */
  toString(): string;
}

/**
 * Makes a client of the Click Airtime V2 API: the typed raw client and resource methods that unwrap the envelope
 * and throw typed errors, over one reliability policy.
 * @example
 * const client = createClickAirtimeClient({ apiKey: process.env.CLICKAIRTIME_API_KEY });
 * const { data: topup } = await client.topups.create({ phone_number: '+233541112259', network_id: 22, amount: { value: 50, currency: 'GHS' } });
 */
export function createClickAirtimeClient(options: ClickAirtimeClientOptions = {}): ClickAirtimeClient {
  const {
    apiKey = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.CLICKAIRTIME_API_KEY,
    baseUrl = 'https://api.clickairtime.com/v2',
    fetch: customFetch,
    userAgent,
    onAttempt,
  } = options;
  if (typeof apiKey !== 'string' || !API_KEY_PATTERN.test(apiKey)) {
    throw new TypeError(
      apiKey === undefined
        ? 'No Click Airtime API key: pass apiKey or set CLICKAIRTIME_API_KEY'
        : `Malformed Click Airtime API key ${redactApiKey(apiKey)}: expected ce_live_ and 32 letters or digits`,
    );
  }
  const secret = apiKey.slice(8);
  const policy = override(DEFAULTS, options);
  const transport: Transport = {
    // Looked up per call, so a fetch installed after the client was made (a test's mock) is used.
    fetch: customFetch ? (url, init) => customFetch(new Request(url, init)) : (url, init) => fetch(url, init),
    // The runtime's own fetch, not one a test or library put in its place later.
    honoursSignal: () => !customFetch && globalThis.fetch === builtinFetch,
    deadlines: deadlines(),
    headers: { authorization: `Bearer ${apiKey}`, ...(userAgent && { 'user-agent': userAgent }) },
    // includes() first: splitting every body costs more than searching it.
    scrub: (text) => (text.includes(secret) ? text.split(secret).join('****') : text),
    onAttempt,
  };
  const root = removeTrailingSlash(baseUrl);
  // openapi-fetch's own serializer (already in the bundle for the raw client), so both styles send the same URL.
  const serializeQuery = createQuerySerializer();
  const raw = createClient<paths>({
    baseUrl: root,
    // Made once here, not by openapi-fetch on every call.
    querySerializer: serializeQuery,
    // Without middleware, openapi-fetch builds a `Request` only to hand it to `fetch`; the policy needs just its
    // parts, and a real `Request` costs more than the rest of the call, so it gets them as a plain object (its
    // init, a fresh object per call: adding the URL is cheaper than a copy). A middleware gets a real one.
    Request: Object.assign(
      function (url: string, init: RequestInit & { url?: string }) {
        if (middleware.length || perCall) return new Request(url, init);
        init.url = url;
        return init;
      },
      { prototype: Request.prototype },
    ) as unknown as typeof Request,
    fetch: async (request: Request) => {
      let body: unknown = request.body;
      // A middleware may have swapped in a real `Request`, whose body is a stream.
      if (body && typeof body !== 'string') body = await request.text();
      const headers = Object.fromEntries(request.headers);
      const { response, text, json } = await send(
        request.method,
        request.url,
        headers,
        body as string | undefined,
        request.signal,
        policy,
        transport,
      );
      // openapi-fetch reads the body the policy already read: text() and json() set on the response itself
      // answer from it (key scrubbed, parsed once), instead of a copy of the response made to carry it.
      response.text = async () => text;
      response.json = async () => json ?? JSON.parse(text);
      return response;
    },
  });
  // Which middleware openapi-fetch holds (`use` and `eject` mirrored), and whether the call being set up has
  // its own: openapi-fetch makes the request synchronously inside each method, so the flag is set around it.
  const middleware: unknown[] = [];
  let perCall = false;
  const { use, eject } = raw;
  raw.use = (...added) => {
    use(...added);
    middleware.push(...added.filter(Boolean));
  };
  raw.eject = (...removed) => {
    eject(...removed);
    for (const m of removed) {
      const i = middleware.indexOf(m);
      if (i !== -1) middleware.splice(i, 1);
    }
  };
  // Every other method of openapi-fetch's client sends a request (GET ... TRACE, request): its init is the last
  // argument.
  const methods = raw as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const [name, original] of Object.entries(methods)) {
    if (name === 'use' || name === 'eject' || typeof original !== 'function') continue;
    methods[name] = (...args: unknown[]) => {
      perCall = !!(args.at(-1) as { middleware?: unknown[] } | undefined)?.middleware?.length;
      try {
        return original(...args);
      } finally {
        perCall = false;
      }
    };
  }
  const summary = { baseUrl, apiKey: redactApiKey(apiKey) };
  const shown = `ClickAirtimeClient ${JSON.stringify(summary)}`;
  let lastRateLimit: RateLimit | undefined;
  /** The headers of the latest success, until `client.rateLimit` reads them. */
  let unreadHeaders: Headers | undefined;

  // One path for every resource method: build the URL (path parameters encoded as openapi-fetch does, the
  // query by its own serializer), send it through the policy with this call's options, unwrap the envelope or
  // throw the typed error. The method signatures above hold the types; the paths are the spec's. Not through
  // the raw client: it would build a `Request`, and the body would be parsed twice.
  async function call(
    path: string,
    o: RequestOptions = {},
    query?: object,
    body?: object,
    headers: Record<string, string> = {},
  ) {
    const search = query ? serializeQuery(query) : '';
    const url = root + path + (search && `?${search}`);
    const attemptPolicy =
      o.timeoutMs === undefined && o.maxRetries === undefined ? policy : override(policy, o);
    const method = body ? 'POST' : 'GET';
    const sent = await send(method, url, headers, body && JSON.stringify(body), o.signal, attemptPolicy, transport);
    const { response, json } = sent;
    const data = json as { success?: unknown; data?: unknown; meta?: unknown } | undefined;
    // A 2xx that is not the JSON envelope (a captive portal, say) becomes INVALID_RESPONSE, not a SyntaxError.
    if (!response.ok || data?.success !== true) {
      const error = toError(response, data, method, transport.scrub(url));
      unreadHeaders = undefined;
      lastRateLimit = error.rateLimit ?? lastRateLimit;
      throw error;
    }
    // The rate-limit headers are read when asked for: reading headers costs more than the rest of the call's
    // own work, and most callers never look.
    const { headers: responseHeaders } = response;
    unreadHeaders = responseHeaders;
    let rateLimit: RateLimit | undefined | null = null;
    // `never` fits every method's declared result: the interface above carries the types. Only a create
    // (the one call with a body) says whether it was replayed.
    const result = {
      data: data.data as never,
      meta: data.meta as never,
      get rateLimit() {
        return rateLimit === null ? (rateLimit = readRateLimit(responseHeaders)) : rateLimit;
      },
    } as { data: never; meta: never; readonly rateLimit: RateLimit | undefined; replayed: boolean; idempotencyKey: string };
    if (body) result.replayed = sent.replayed;
    return result;
  }

  const client: ClickAirtimeClient = {
    raw,
    catalog: {
      lookup: (query, o) => call('/catalog/lookup', o, query),
      countries: (o) => call('/catalog/countries', o),
      networks: (query, o) => call('/catalog/networks', o, query),
      products: (query, o) => call('/catalog/products', o, query),
    },
    topups: {
      async create(body, o = {}) {
        // The runtime's UUID: every runtime a secret key belongs in (servers, edge, secure browser contexts) has it.
        const idempotencyKey = o.idempotencyKey || crypto.randomUUID();
        try {
          const result = await call('/topups', o, undefined, body, { 'content-type': 'application/json', 'idempotency-key': idempotencyKey });
          // Added, not spread into a copy, so `rateLimit` stays a getter read on demand.
          result.idempotencyKey = idempotencyKey;
          return result;
        } catch (error) {
          if (error instanceof ClickAirtimeError) error.idempotencyKey = idempotencyKey;
          throw error;
        }
      },
      list: (query, o) => call('/topups', o, query),
      get: (id, o) => call(`/topups/${encodeURIComponent(id)}`, o),
      async *listAll(query = {}, o) {
        const seen = new Set<string>();
        for (let page = 1; ; page++) {
          const { data, meta } = await client.topups.list({ per_page: 100, ...query, page }, o);
          for (const topup of data) {
            if (seen.has(topup.id)) continue;
            seen.add(topup.id);
            yield topup;
          }
          if (!meta.pagination.has_next || data.length === 0) return;
        }
      },
    },
    balance: {
      get: (o) => call('/balance', o),
      getWallet: (walletId, o) => call(`/balance/${encodeURIComponent(walletId)}`, o),
    },
    get rateLimit() {
      if (unreadHeaders) lastRateLimit = readRateLimit(unreadHeaders) ?? lastRateLimit;
      unreadHeaders = undefined;
      return lastRateLimit;
    },
    toJSON: () => ({ ...summary }),
    toString: () => shown,
    // Node's util.inspect hook, deliberately not part of the public type.
    [Symbol.for('nodejs.util.inspect.custom')]: () => shown,
  };
  return client;
}
