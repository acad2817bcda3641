/**
 * Exactly-once under faults: `topups.create` calls with retries on, through a seeded fault-injecting
 * proxy (dropped answers, answers held past the timeout, late duplicate requests, 429s and 503s
 * from the "gateway") to a mock of our own. Afterwards the sandbox is read directly (not through
 * the proxy) and every call is accounted for by its unique reference:
 *
 * - a call that returned a top-up: exactly one top-up carries its reference, the one returned;
 * - a call that threw: the error is one of the client's typed errors, and 0 or 1 top-up carries
 *   its reference (a transport failure can't tell whether the last attempt landed; a 409 names
 *   the one that did);
 * - no top-up exists that no call asked for.
 *
 * Then each failed call is resumed as the docs tell integrators to: the same request with the same
 * `Idempotency-Key`, straight to the sandbox. After that every call has exactly one top-up.
 *
 * Replay a run with FAULT_SEED=<seed> (the seed is printed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../src/mock/server.ts';
import { createClickAirtimeClient, DuplicateTransactionError, isClickAirtimeError, type AttemptEvent } from '../../src/index.ts';
import { startFaultProxy, type Fault, type FaultProxy } from './fault-proxy.ts';

const CALLS = Number(process.env.EXACTLY_ONCE_CALLS ?? 240);
const SEED = Number(process.env.FAULT_SEED ?? 6_2026);
const TIMEOUT_MS = 250;
/** Fault mix: about 45% of requests (creates and the client's recovery GETs alike) meet one. */
const WEIGHTS: Record<Fault, number> = { pass: 55, drop: 12, 'delay-response': 8, 'delay-request': 7, 'answer-429': 9, 'answer-503': 9 };

interface Outcome {
  reference: string;
  idempotencyKey: string;
  topupId?: string;
  replayed?: boolean;
  error?: { name: string; code: string; typed: boolean; existingTopupId?: string };
  attempts: number;
}

describe('topups.create through a faulty network', () => {
  let mock: MockServer;
  let proxy: FaultProxy;

  beforeAll(async () => {
    mock = await startMockServer({
      port: 0,
      // Every top-up in the ledger must be one of this test's calls: start it empty.
      documentedTopups: false,
      // The lifecycle is not under test here: keep top-ups pending so nothing changes under the count.
      delays: { processingMs: 600_000, completionMs: 600_000 },
      rateLimits: { read: 1_000_000, write: 1_000_000, topup: 1_000_000, lookup: 1_000_000 },
    });
    // Enough money for every call, whatever the exchange rate.
    mock.reset({ wal_global_001: 10_000_000, wal_ghs_001: 10_000_000 });
    proxy = await startFaultProxy({ target: mock.url, seed: SEED, weights: WEIGHTS, delayMs: TIMEOUT_MS * 2 });
  });

  afterAll(async () => {
    await proxy?.close();
    await mock?.close();
  });

  it(`creates exactly one top-up per call over ${CALLS} calls, or says honestly that it could not tell`, async () => {
    const key = mock.keys.find((k) => k.name === 'full')!.key;
    let attempts = 0;
    const client = createClickAirtimeClient({
      apiKey: key,
      baseUrl: `${proxy.url}/v2`,
      timeoutMs: TIMEOUT_MS,
      maxRetries: 4,
      baseDelayMs: 5,
      maxDelayMs: 40,
      maxRetryAfterMs: 1_000,
      onAttempt: (_event: AttemptEvent) => {
        attempts++;
      },
    });

    // Read the whole sandbox straight from the mock, not through the client or the proxy.
    const readSandbox = async () => {
      const all: { id: string; reference: string | null }[] = [];
      for (let page = 1; page <= 100; page++) {
        const res = await fetch(`${mock.baseUrl}/topups?per_page=100&page=${page}`, { headers: { Authorization: `Bearer ${key}` } });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { data: { id: string; reference: string | null }[]; meta: { pagination: { has_next: boolean } } };
        all.push(...body.data);
        if (!body.meta.pagination.has_next) break;
      }
      // Top-ups the sandbox starts with (its documented example, say) are not this test's.
      const ours = all.filter((t) => !preexisting.has(t.id));
      const byReference = new Map<string, string[]>();
      for (const t of ours) byReference.set(t.reference ?? '(none)', [...(byReference.get(t.reference ?? '(none)') ?? []), t.id]);
      return { all: ours, byReference };
    };
    let preexisting = new Set<string>();
    preexisting = new Set((await readSandbox()).all.map((t) => t.id));

    const outcomes: Outcome[] = [];
    const bodyOf = (i: number, reference: string) => ({
      phone_number: '+233541112259',
      network_id: 22,
      amount: { value: 1 + (i % 5), currency: 'GHS' as const },
      reference,
    });
    for (let i = 0; i < CALLS; i++) {
      const reference = `exactly-once-${SEED}-${i}`;
      // The caller's own key, kept so a failed call can be resumed (the client makes one otherwise).
      const idempotencyKey = `${reference}-${crypto.randomUUID()}`;
      const before = attempts;
      try {
        const result = await client.topups.create(bodyOf(i, reference), { idempotencyKey });
        expect(result.idempotencyKey).toBe(idempotencyKey);
        outcomes.push({
          reference,
          idempotencyKey,
          topupId: result.data.id,
          replayed: result.replayed,
          attempts: attempts - before,
        });
      } catch (error) {
        const typed = isClickAirtimeError(error);
        const e = error as { name?: string; code?: string; existingTopupId?: string; details?: { existing_topup_id?: string } };
        outcomes.push({
          reference,
          idempotencyKey,
          error: {
            name: e.name ?? 'unknown',
            code: e.code ?? 'unknown',
            typed,
            ...((e.existingTopupId ?? e.details?.existing_topup_id) && { existingTopupId: e.existingTopupId ?? e.details?.existing_topup_id }),
          },
          attempts: attempts - before,
        });
      }
    }

    // Let every late request land before counting: a delayed duplicate could still create something.
    await proxy.idle();

    const { all, byReference } = await readSandbox();

    const problems: string[] = [];
    let erroredWithTopup = 0;
    for (const o of outcomes) {
      const ids = byReference.get(o.reference) ?? [];
      if (o.topupId) {
        if (ids.length !== 1 || ids[0] !== o.topupId) problems.push(`${o.reference}: returned ${o.topupId}, sandbox holds [${ids.join(', ')}]`);
      } else {
        if (!o.error!.typed) problems.push(`${o.reference}: threw an untyped ${o.error!.name}`);
        if (ids.length > 1) problems.push(`${o.reference}: failed (${o.error!.code}) yet ${ids.length} top-ups exist`);
        if (o.error!.existingTopupId && ids[0] !== o.error!.existingTopupId) problems.push(`${o.reference}: 409 named ${o.error!.existingTopupId}, sandbox holds [${ids.join(', ')}]`);
        if (ids.length === 1) erroredWithTopup++;
      }
    }
    const known = new Set(outcomes.map((o) => o.reference));
    for (const [reference, ids] of byReference) if (!known.has(reference)) problems.push(`top-up(s) ${ids.join(', ')} with unknown reference ${reference}`);

    const succeeded = outcomes.filter((o) => o.topupId);
    const failed = outcomes.filter((o) => o.error);
    const errorsByCode: Record<string, number> = {};
    for (const o of failed) errorsByCode[o.error!.code] = (errorsByCode[o.error!.code] ?? 0) + 1;
    console.info(
      `exactly-once (seed ${SEED}): ${CALLS} calls, ${attempts} attempts, ${proxy.log.length} requests at the proxy, faults ${JSON.stringify(proxy.counts)}; ` +
        `${succeeded.length} returned their top-up (${succeeded.filter((o) => o.replayed).length} recovered after a lost answer), ` +
        `${failed.length} typed errors ${JSON.stringify(errorsByCode)} of which ${erroredWithTopup} had created their top-up and ${failed.length - erroredWithTopup} had not; ` +
        `sandbox holds ${all.length} new top-ups for ${CALLS} calls (${preexisting.size} it started with left out)`,
    );

    expect(problems).toEqual([]);
    expect(all.length).toBe(succeeded.length + erroredWithTopup);

    // Resume every failed call with its own key, fault-free: it gets the top-up its earlier attempt
    // made (named by a 409) or, if none landed, makes it now. Never a second one.
    const direct = createClickAirtimeClient({ apiKey: key, baseUrl: mock.baseUrl, maxRetries: 0 });
    for (const o of failed) {
      const i = Number(o.reference.split('-').at(-1));
      const existing = byReference.get(o.reference) ?? [];
      try {
        const result = await direct.topups.create(bodyOf(i, o.reference), { idempotencyKey: o.idempotencyKey });
        expect(existing, `${o.reference}: resumed call created a top-up although one existed`).toEqual([]);
        o.topupId = result.data.id;
      } catch (error) {
        expect(DuplicateTransactionError.is(error), `${o.reference}: resume threw ${String(error)}`).toBe(true);
        o.topupId = (error as DuplicateTransactionError).existingTopupId;
        expect([o.topupId]).toEqual(existing);
      }
    }
    const after = await readSandbox();
    expect(after.all.length).toBe(CALLS);
    for (const o of outcomes) expect(after.byReference.get(o.reference), o.reference).toEqual([o.topupId]);
    // The run must actually have exercised the faults it claims to survive.
    expect(proxy.counts.drop + proxy.counts['delay-response']).toBeGreaterThan(10);
    expect(succeeded.filter((o) => o.replayed).length).toBeGreaterThan(0);
  }, 300_000);
});
