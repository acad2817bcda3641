/** The stateful answers of the nine operations, keyed by operationId. */
import {
  countriesJson,
  exchangeRate,
  findNetwork,
  hlrLookup,
  magicOutcome,
  NETWORKS,
  networkJson,
  productsJson,
  type SandboxNetwork,
} from './catalog.ts';
import { ApiError, successBody, successRawBody } from './envelope.ts';
import type { CreateTopupInput, Sandbox, Topup } from './state.ts';
import type { ValidInput } from './validation.ts';

/** What a handler gets: the validated input, the caller's key and the raw headers. */
export interface HandlerContext {
  input: ValidInput;
  apiKey: string;
  headers: Record<string, string | string[] | undefined>;
  sandbox: Sandbox;
}

/** A handler's answer: the status and the serialised body. */
export interface HandlerResult {
  status: number;
  body: string;
}

export type Handler = (ctx: HandlerContext) => HandlerResult;

const ok = (data: unknown, extraMeta?: Record<string, unknown>): HandlerResult => ({
  status: 200,
  body: successBody(data, extraMeta),
});

function networkOr404(id: number): SandboxNetwork {
  const n = findNetwork(id);
  if (!n) throw new ApiError('NETWORK_NOT_FOUND', `No network with id ${id}.`, { resource: 'network', network_id: id });
  return n;
}

function lookupCatalog({ input }: HandlerContext): HandlerResult {
  const phone = input.query.phone_number as string | undefined;
  const networkId = input.query.network_id as number | undefined;
  if (phone === undefined && networkId === undefined) {
    const message = 'Give phone_number, network_id, or both.';
    throw new ApiError('MISSING_REQUIRED_FIELD', message, {
      fields: [
        { field: 'query.phone_number', issue: 'required', message },
        { field: 'query.network_id', issue: 'required', message },
      ],
    });
  }
  const magic = phone === undefined ? undefined : magicOutcome(phone);
  let network: SandboxNetwork | undefined;
  let source: 'hlr' | 'network_id';
  if (networkId !== undefined) {
    network = networkOr404(networkId);
    source = 'network_id';
  } else {
    if (magic !== 'hlr_lookup_failed') network = hlrLookup(phone!);
    if (!network) {
      throw new ApiError('HLR_LOOKUP_FAILED', `The network of ${phone} could not be detected; pass network_id.`, {
        phone_number: phone,
      });
    }
    source = 'hlr';
  }
  if (magic === 'unsupported_network') {
    throw new ApiError('UNSUPPORTED_NETWORK', `${phone} is on a network that cannot receive top-ups.`, {
      network_id: network.id,
      phone_number: phone,
    });
  }
  return ok({
    ...(phone !== undefined ? { phone_number: phone } : {}),
    network: networkJson(network),
    network_source: source,
    exchange_rate: exchangeRate(network),
    products: productsJson(network),
  });
}

// Catalog answers never change: serialise the data once, wrap it in a fresh envelope per request.
const countriesJsonText = JSON.stringify(countriesJson());
const networksData = NETWORKS.map(networkJson);
const networksJsonText = JSON.stringify(networksData);
const networksByCountry = new Map<string, string>();
for (const n of networksData) networksByCountry.set(n.country_code, '');
for (const code of networksByCountry.keys()) {
  networksByCountry.set(code, JSON.stringify(networksData.filter((n) => n.country_code === code)));
}

function listCountries(): HandlerResult {
  return { status: 200, body: successRawBody(countriesJsonText) };
}

function listNetworks({ input }: HandlerContext): HandlerResult {
  const code = input.query.country_code as string | undefined;
  const text = code === undefined ? networksJsonText : (networksByCountry.get(code) ?? '[]');
  return { status: 200, body: successRawBody(text) };
}

function listProducts({ input }: HandlerContext): HandlerResult {
  const network = networkOr404(input.query.network_id as number);
  return ok({ network: networkJson(network), exchange_rate: exchangeRate(network), products: productsJson(network) });
}

function createTopup({ input, apiKey, headers, sandbox }: HandlerContext): HandlerResult {
  const raw = headers['idempotency-key'];
  const key = Array.isArray(raw) ? raw.join(', ') : raw;
  const topup = sandbox.createTopup(input.body as CreateTopupInput, apiKey, key);
  return { status: 201, body: successBody(topup) };
}

function getTopup({ input, sandbox }: HandlerContext): HandlerResult {
  const id = String(input.params.id).toLowerCase();
  const topup = sandbox.topup(id);
  if (!topup) throw new ApiError('TRANSACTION_NOT_FOUND', `No top-up with id ${id}.`, { resource: 'topup' });
  return ok(topup);
}

/** A bare date as a bound: its first (or, for `to`, last) millisecond in UTC. */
function bound(value: string, end: boolean): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00.000Z`) + (end ? 86_399_999 : 0);
  return Date.parse(value);
}

const SORT_KEYS: Record<string, (t: Topup) => number | string | null> = {
  created_at: (t) => t.created_at,
  completed_at: (t) => t.completed_at,
  status: (t) => t.status,
  total_usd: (t) => t.cost.value,
};

function listTopups({ input, sandbox }: HandlerContext): HandlerResult {
  const q = input.query;
  const page = (q.page as number | undefined) ?? 1;
  const perPage = (q.per_page as number | undefined) ?? 20;
  const status = q.status as string | undefined;
  const phone = (q.phone_number as string | undefined)?.replace(/^\+/, '');
  const reference = q.reference as string | undefined;
  const from = q.from === undefined ? undefined : bound(String(q.from), false);
  const to = q.to === undefined ? undefined : bound(String(q.to), true);
  const sort = (q.sort as string | undefined) ?? '-created_at';
  const desc = sort.startsWith('-');
  const field = desc ? sort.slice(1) : sort;
  const keyOf = SORT_KEYS[field] ?? SORT_KEYS.created_at!;

  const rows = sandbox.allTopups().filter((t) => {
    if (status !== undefined && t.status !== status) return false;
    if (phone !== undefined && !t.phone_number.includes(phone)) return false;
    if (reference !== undefined && t.reference !== reference) return false;
    const created = Date.parse(t.created_at);
    if (from !== undefined && created < from) return false;
    if (to !== undefined && created > to) return false;
    return true;
  });
  // Stable sort over insertion order, so equal keys keep creation order (reversed for descending).
  const indexed = rows.map((t, i) => ({ t, i, k: keyOf(t) }));
  indexed.sort((a, b) => {
    // Top-ups not yet done sort last whichever the direction.
    if (a.k === null || b.k === null) return a.k === b.k ? a.i - b.i : a.k === null ? 1 : -1;
    const c = a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i;
    return desc ? -c : c;
  });
  const total = indexed.length;
  const totalPages = Math.ceil(total / perPage);
  const data = indexed.slice((page - 1) * perPage, page * perPage).map((r) => r.t);
  return ok(data, {
    pagination: {
      page,
      per_page: perPage,
      total,
      total_pages: totalPages,
      has_next: page < totalPages,
      has_prev: page > 1,
    },
  });
}

function getBalance({ sandbox }: HandlerContext): HandlerResult {
  return ok(sandbox.balance());
}

function getWallet({ input, sandbox }: HandlerContext): HandlerResult {
  const id = String(input.params.wallet_id);
  const wallet = sandbox.wallet(id);
  if (!wallet) throw new ApiError('TRANSACTION_NOT_FOUND', `No wallet with id ${id}.`, { resource: 'wallet' });
  return ok(wallet);
}

/** Every operation's handler. The server refuses to start if the spec has an operation missing here. */
export const HANDLERS: Readonly<Record<string, Handler>> = {
  lookupCatalog,
  listCountries,
  listNetworks,
  listProducts,
  createTopup,
  listTopups,
  getTopup,
  getBalance,
  getWallet,
};
