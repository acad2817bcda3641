/**
 * The sandbox account in memory: wallets, top-ups, idempotency keys, the status lifecycle and
 * webhook deliveries. Money is kept in minor units (cents) so debits and refunds add up exactly;
 * every change happens synchronously inside one request or timer, so nothing interleaves.
 */
import { randomUUID } from 'node:crypto';
import { signWebhook, type WebhookEventType } from '../webhooks.ts';
import { redactApiKey } from '../redact.ts';
import {
  country,
  findNetwork,
  magicOutcome,
  networkRef,
  round2,
  type SandboxNetwork,
} from './catalog.ts';
import { ApiError } from './envelope.ts';

/** Lifecycle delays in milliseconds. */
export interface Delays {
  /** `pending` → `processing`. @default 2000 */
  processingMs: number;
  /** `processing` → `completed`/`failed`. @default 3000 */
  completionMs: number;
  /**
   * Wait before the first redelivery of a webhook that got no 2xx; it doubles for the next one. A delivery is
   * tried {@link WEBHOOK_ATTEMPTS} times in all. @default 1000
   */
  webhookRetryMs: number;
}

export const DEFAULT_DELAYS: Delays = { processingMs: 2000, completionMs: 3000, webhookRetryMs: 1000 };

/** Tries of one webhook delivery: the first and two redeliveries (after `webhookRetryMs`, then twice that). */
export const WEBHOOK_ATTEMPTS = 3;

/** How long an `Idempotency-Key` is remembered (the spec's stated choice). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

type TopupStatus = 'pending' | 'processing' | 'completed' | 'failed';

/** The `Topup` schema object. */
export interface Topup {
  id: string;
  status: TopupStatus;
  phone_number: string;
  network: { id: number; name: string; country: string; country_code: string };
  amount: { value: number; currency: string };
  cost: { value: number; currency: 'USD' };
  product_id: string | null;
  product_name: string | null;
  sms: { enabled: boolean; message: string | null };
  reference: string | null;
  provider_reference: string | null;
  failure_reason: string | null;
  metadata: Record<string, string>;
  created_at: string;
  completed_at: string | null;
}

interface TopupRecord {
  data: Topup;
  createdMs: number;
  apiKey: string;
  callbackUrl: string | null;
  walletId: string;
  /** What was taken from the wallet, in its minor units (refunded on failure). */
  debitMinor: number;
  willFail: boolean;
  /** Webhooks go out one after another so they arrive in status order. */
  deliveries: Promise<void>;
}

interface WalletRecord {
  id: string;
  currency: string;
  type: 'global' | 'local';
  status: 'active' | 'inactive';
  /** Country names, or `All Countries`. */
  allowed_countries: string[];
  balanceMinor: number;
}

/** Starting balances (major units), matching the spec's Balance example. */
export const WALLET_SEED = [
  { id: 'wal_global_001', currency: 'USD', type: 'global', status: 'active', allowed_countries: ['All Countries'], balance: 1250.75 },
  { id: 'wal_ghs_001', currency: 'GHS', type: 'local', status: 'active', allowed_countries: ['Ghana'], balance: 1250 },
] as const;

/** A webhook delivery attempt, kept for `GET /__sandbox/webhooks`. */
export interface DeliveryLog {
  topup_id: string;
  event: WebhookEventType;
  url: string;
  /** 1 for the first delivery, up to {@link WEBHOOK_ATTEMPTS}. */
  attempt: number;
  status: number | null;
  error: string | null;
  at: string;
}

/** Input of {@link Sandbox.createTopup}, already validated against the schema. */
export interface CreateTopupInput {
  phone_number: string;
  network_id: number;
  amount?: { value: number; currency: string };
  product_id?: string;
  sms?: { enabled?: boolean; message?: string | null };
  reference?: string;
  callback_url?: string;
  metadata?: Record<string, string>;
}

const toMinor = (n: number) => Math.round(n * 100);
const fromMinor = (n: number) => n / 100;

/** Options of {@link Sandbox}. */
export interface SandboxOptions {
  /**
   * Top-ups held from the start (the spec's documented ones, so documented reads such as
   * `GET /topups/{id}` answer as written). They are history: no wallet is debited for them and
   * no webhook goes out.
   */
  seedTopups?: readonly Topup[];
  /** `loopback`: deliver webhooks only to 127.0.0.0/8, ::1 and localhost (tests). @default 'any' */
  webhooks?: 'any' | 'loopback';
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The sandbox account. */
export class Sandbox {
  private wallets = new Map<string, WalletRecord>();
  private topups = new Map<string, TopupRecord>();
  /** Newest last. */
  private order: TopupRecord[] = [];
  private idempotency = new Map<string, { topupId: string; expiresMs: number }>();
  private timers = new Set<NodeJS.Timeout>();
  private epoch = 0;
  readonly deliveries: DeliveryLog[] = [];

  private readonly seedTopups: readonly Topup[];
  private readonly loopbackWebhooksOnly: boolean;

  constructor(
    private readonly delays: Delays,
    private readonly log: (line: string) => void = () => {},
    options: SandboxOptions = {},
  ) {
    this.seedTopups = options.seedTopups ?? [];
    this.loopbackWebhooksOnly = options.webhooks === 'loopback';
    this.reset();
  }

  /** Back to the starting state: seed wallets and top-ups, no idempotency keys, no pending timers. */
  reset(balances: Record<string, number> = {}): void {
    this.epoch++;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.topups.clear();
    this.order = [];
    this.idempotency.clear();
    this.deliveries.length = 0;
    this.wallets.clear();
    for (const w of WALLET_SEED) {
      const balance = balances[w.id] ?? w.balance;
      this.wallets.set(w.id, { ...w, allowed_countries: [...w.allowed_countries], balanceMinor: toMinor(balance) });
    }
    for (const seed of this.seedTopups) {
      const data: Topup = structuredClone(seed);
      const record: TopupRecord = {
        data,
        createdMs: Date.parse(data.created_at),
        apiKey: '',
        callbackUrl: null,
        walletId: '',
        debitMinor: 0,
        willFail: false,
        deliveries: Promise.resolve(),
      };
      this.topups.set(data.id, record);
      this.order.push(record);
    }
  }

  /** Stops every timer (server shutdown). */
  close(): void {
    this.epoch++;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** The `Wallet` schema object, or `undefined`. */
  wallet(id: string) {
    const w = this.wallets.get(id);
    return w ? walletJson(w) : undefined;
  }

  /** The `Balance` schema object. */
  balance() {
    let usd = 0;
    for (const w of this.wallets.values()) {
      if (w.status !== 'active') continue;
      usd += w.currency === 'USD' ? w.balanceMinor : w.balanceMinor / rateOfCurrency(w.currency);
    }
    return {
      available_balance: { amount: Math.round(usd) / 100, currency: 'USD' as const },
      wallets: [...this.wallets.values()].map(walletJson),
    };
  }

  /** A top-up by id, or `undefined`. */
  topup(id: string): Topup | undefined {
    return this.topups.get(id)?.data;
  }

  /** Every top-up, oldest first. */
  allTopups(): readonly Topup[] {
    return this.order.map((r) => r.data);
  }

  /**
   * Creates a top-up: checks network, product or amount, magic numbers and idempotency, then debits
   * a wallet and starts the lifecycle. Throws the vendor's `ApiError` when it cannot.
   */
  createTopup(input: CreateTopupInput, apiKey: string, idempotencyKey: string | undefined): Topup {
    const now = Date.now();
    if (idempotencyKey !== undefined) {
      const seen = this.idempotency.get(idempotencyKey);
      if (seen && seen.expiresMs > now && this.topups.has(seen.topupId)) {
        throw new ApiError(
          'DUPLICATE_TRANSACTION',
          `Idempotency-Key ${idempotencyKey} already created top-up ${seen.topupId}; fetch it instead of sending again.`,
          { existing_topup_id: seen.topupId },
        );
      }
    }
    const magic = magicOutcome(input.phone_number);
    if (magic === 'hlr_lookup_failed') {
      throw new ApiError('HLR_LOOKUP_FAILED', `The network of ${input.phone_number} could not be detected; pass network_id.`, {
        phone_number: input.phone_number,
      });
    }
    const network = findNetwork(input.network_id);
    if (!network) {
      throw new ApiError('NETWORK_NOT_FOUND', `No network with id ${input.network_id}.`, {
        resource: 'network',
        network_id: input.network_id,
      });
    }
    if (magic === 'unsupported_network') {
      throw new ApiError('UNSUPPORTED_NETWORK', `${input.phone_number} is on a network that cannot receive top-ups.`, {
        network_id: network.id,
        phone_number: input.phone_number,
      });
    }
    const c = country(network.countryCode);
    const priced = price(network, input);
    if (magic === 'delivery_failed') {
      throw new ApiError('DELIVERY_FAILED', 'The network rejected the top-up; the wallet was not charged.');
    }
    if (magic === 'internal_error') {
      throw new ApiError('INTERNAL_ERROR', 'Something went wrong on our side; it is safe to retry with the same Idempotency-Key.');
    }

    // Pay from the local wallet of the recipient's country when it can, else from the global USD wallet.
    const local = [...this.wallets.values()].find(
      (w) => w.type === 'local' && w.status === 'active' && w.currency === c.currency && w.allowed_countries.includes(c.name),
    );
    const localMinor = toMinor(priced.amount.value);
    const costMinor = toMinor(priced.cost);
    const global = [...this.wallets.values()].find((w) => w.type === 'global' && w.status === 'active');
    let wallet: WalletRecord;
    let debitMinor: number;
    if (local && local.balanceMinor >= localMinor) {
      wallet = local;
      debitMinor = localMinor;
    } else if (global && global.balanceMinor >= costMinor) {
      wallet = global;
      debitMinor = costMinor;
    } else {
      const available = global ? fromMinor(global.balanceMinor) : 0;
      throw new ApiError(
        'INSUFFICIENT_BALANCE',
        `The wallet holds ${available.toFixed(2)} USD; this top-up costs ${priced.cost.toFixed(2)} USD.`,
        { available_balance: available, required_amount: priced.cost },
      );
    }
    wallet.balanceMinor -= debitMinor;

    const data: Topup = {
      id: randomUUID(),
      status: 'pending',
      phone_number: input.phone_number,
      network: networkRef(network),
      amount: priced.amount,
      cost: { value: priced.cost, currency: 'USD' },
      product_id: priced.productId,
      product_name: priced.productName,
      sms: { enabled: input.sms?.enabled ?? false, message: input.sms?.message ?? null },
      reference: input.reference ?? null,
      provider_reference: null,
      failure_reason: null,
      metadata: input.metadata ?? {},
      created_at: new Date(now).toISOString(),
      completed_at: null,
    };
    const record: TopupRecord = {
      data,
      createdMs: now,
      apiKey,
      callbackUrl: input.callback_url ?? null,
      walletId: wallet.id,
      debitMinor,
      willFail: magic === 'fails',
      deliveries: Promise.resolve(),
    };
    this.topups.set(data.id, record);
    this.order.push(record);
    if (idempotencyKey !== undefined) {
      this.idempotency.set(idempotencyKey, { topupId: data.id, expiresMs: now + IDEMPOTENCY_TTL_MS });
      if (this.idempotency.size % 1024 === 0) this.pruneIdempotency(now);
    }
    if (magic !== 'stays_pending') this.schedule(record);
    return data;
  }

  private pruneIdempotency(now: number): void {
    for (const [k, v] of this.idempotency) if (v.expiresMs <= now) this.idempotency.delete(k);
  }

  private later(ms: number, fn: () => void): void {
    const epoch = this.epoch;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (epoch === this.epoch) fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private schedule(record: TopupRecord): void {
    this.later(this.delays.processingMs, () => {
      const t = record.data;
      t.status = 'processing';
      t.provider_reference = providerReference(t.network.id);
      this.notify(record, 'topup.processing');
      this.later(this.delays.completionMs, () => {
        t.completed_at = new Date().toISOString();
        if (record.willFail) {
          t.status = 'failed';
          t.failure_reason = 'The network rejected the recipient number.';
          t.provider_reference = null;
          // Refund exactly what was taken, to the wallet it was taken from.
          const w = this.wallets.get(record.walletId);
          if (w) w.balanceMinor += record.debitMinor;
          this.notify(record, 'topup.failed');
        } else {
          t.status = 'completed';
          this.notify(record, 'topup.completed');
        }
      });
    });
  }

  private notify(record: TopupRecord, event: WebhookEventType): void {
    const url = record.callbackUrl;
    if (!url) return;
    // The body is a snapshot: later status changes must not alter what this event says.
    const rawBody = JSON.stringify(record.data);
    record.deliveries = record.deliveries.then(() => this.deliver(record, url, event, rawBody));
  }

  /**
   * Delivers one event, redelivering (same body, freshly signed) after a non-2xx answer or a failure until
   * {@link WEBHOOK_ATTEMPTS} tries are spent. Every try is logged; a reset drops the tries still to come.
   */
  private async deliver(record: TopupRecord, url: string, event: WebhookEventType, rawBody: string): Promise<void> {
    const entry = (attempt: number): DeliveryLog => ({ topup_id: record.data.id, event, url, attempt, status: null, error: null, at: new Date().toISOString() });
    if (this.loopbackWebhooksOnly && !LOOPBACK_HOST.test(new URL(url).hostname)) {
      this.record({ ...entry(1), error: 'not sent: this sandbox delivers webhooks to loopback addresses only' });
      return;
    }
    const epoch = this.epoch;
    for (let attempt = 1; attempt <= WEBHOOK_ATTEMPTS; attempt++) {
      if (attempt > 1) await this.wait(this.delays.webhookRetryMs * 2 ** (attempt - 2));
      if (epoch !== this.epoch) return;
      const tried = await this.post(record, rawBody, entry(attempt));
      this.record(tried);
      if (tried.status !== null && tried.status >= 200 && tried.status <= 299) return;
    }
  }

  private record(entry: DeliveryLog): void {
    this.deliveries.push(entry);
    if (this.deliveries.length > 1000) this.deliveries.shift();
  }

  /** One POST of the delivery `entry` describes; fills in its status or error. */
  private async post(record: TopupRecord, rawBody: string, entry: DeliveryLog): Promise<DeliveryLog> {
    const { event, url, attempt } = entry;
    const what = `webhook ${event} for ${record.data.id} → ${url} (try ${attempt} of ${WEBHOOK_ATTEMPTS})`;
    try {
      const headers = await signWebhook({ rawBody, apiKey: record.apiKey, event });
      const res = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json', 'User-Agent': 'clickairtime-sandbox-webhooks' },
        body: rawBody,
        signal: AbortSignal.timeout(5000),
        redirect: 'manual',
      });
      entry.status = res.status;
      await res.body?.cancel();
      if (res.status < 200 || res.status > 299) this.log(`${what}: HTTP ${res.status}`);
    } catch (err) {
      entry.error = err instanceof Error ? err.message : String(err);
      this.log(`${what} failed (${entry.error}); key ${redactApiKey(record.apiKey)}`);
    }
    return entry;
  }

  /** A pause that a reset or stop cancels: the delivery it holds up is then dropped with its top-up. */
  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

function walletJson(w: WalletRecord) {
  return {
    id: w.id,
    currency: w.currency,
    balance: fromMinor(w.balanceMinor),
    type: w.type,
    status: w.status,
    allowed_countries: [...w.allowed_countries],
  };
}

function rateOfCurrency(currency: string): number {
  for (const code of ['GH', 'NG', 'KE']) {
    const c = country(code);
    if (c.currency === currency) return c.rate;
  }
  return 1;
}

function providerReference(networkId: number): string {
  const prefix = networkId === 22 ? 'MTNGH' : `NET${networkId}`;
  return `${prefix}-${Math.floor(10_000_000 + Math.random() * 89_999_999)}`;
}

interface Priced {
  amount: { value: number; currency: string };
  cost: number;
  productId: string | null;
  productName: string | null;
}

function price(network: SandboxNetwork, input: CreateTopupInput): Priced {
  const c = country(network.countryCode);
  if (input.product_id !== undefined) {
    const bundle = network.bundles.find((b) => String(b.id) === input.product_id);
    if (!bundle) {
      const message = `${network.name} has no bundle ${input.product_id}; see GET /catalog/products?network_id=${network.id}.`;
      throw new ApiError('INVALID_AMOUNT', message, {
        fields: [{ field: 'body.product_id', issue: 'enum', message }],
      });
    }
    return {
      amount: { value: round2(bundle.price_usd * c.rate), currency: c.currency },
      cost: bundle.price_usd,
      productId: String(bundle.id),
      productName: bundle.name,
    };
  }
  const amount = input.amount!;
  if (!network.custom) {
    throw new ApiError('UNSUPPORTED_NETWORK', `${network.name} does not support custom airtime; buy a fixed bundle instead.`, {
      network_id: network.id,
    });
  }
  if (amount.currency !== c.currency) {
    const message = `amount.currency must be ${c.currency} for ${network.name}.`;
    throw new ApiError('INVALID_AMOUNT', message, { fields: [{ field: 'body.amount.currency', issue: 'currency', message }] });
  }
  const { min, max } = network.custom;
  if (amount.value < min || amount.value > max || toMinor(amount.value) / 100 !== amount.value) {
    const message = `amount.value must be between ${min} and ${max} ${c.currency} for ${network.name}, in whole cents.`;
    throw new ApiError('INVALID_AMOUNT', message, { fields: [{ field: 'body.amount.value', issue: 'range', message }] });
  }
  return {
    amount: { value: amount.value, currency: c.currency },
    cost: Math.max(0.01, round2(amount.value / c.rate)),
    productId: null,
    productName: null,
  };
}
