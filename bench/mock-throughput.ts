/**
 * Mock throughput: this project's mock (all gates on) against bare `prism mock -v silent` and a raw
 * node:http server returning the same JSON bytes (the ceiling). All three run as child processes;
 * autocannon drives them from this process, interleaved round by round, and each figure is the
 * median over the rounds.
 */
import autocannon from 'autocannon';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, startJsonPortChild, startPrism, type ChildServer } from './children.ts';
import { median, round } from './stats.ts';

/** The sandbox key with every permission, read from the mock's committed key file. */
export function fullKey(): string {
  const file = join(root, 'src/mock/sandbox-keys.json');
  const { keys } = JSON.parse(readFileSync(file, 'utf8')) as { keys: { name: string; key: string }[] };
  const full = keys.find((k) => k.name === 'full');
  if (!full) throw new Error('no `full` key in src/mock/sandbox-keys.json');
  return full.key;
}


export interface ThroughputRow {
  server: 'mock' | 'prism' | 'raw';
  /** Path as requested from that server (bare Prism serves the spec's paths without `/v2`). */
  path: string;
  /** The operation's path under /v2, the same for all three servers. */
  operation: string;
  rounds: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Per-round raw numbers, for anyone who wants to see the spread. */
  perRound: { reqPerSec: number; p50Ms: number; p99Ms: number; non2xx: number; errors: number }[];
  non2xx: number;
  errors: number;
}

export interface ThroughputOptions {
  rounds: number;
  durationSec: number;
  connections: number;
  log: (line: string) => void;
}

const OPERATIONS = ['/balance', '/catalog/networks'] as const;

/** Whether the project's mock server exists yet (src/mock/server.ts with startMockServer). */
export function mockAvailable(): boolean {
  return existsSync(join(root, 'src/mock/server.ts'));
}

export async function benchMockThroughput(options: ThroughputOptions): Promise<{ rows: ThroughputRow[]; notes: string[] }> {
  const { rounds, durationSec, connections, log } = options;
  const key = fullKey();
  const headers = { authorization: `Bearer ${key}`, accept: 'application/json' };
  const notes: string[] = [];
  const servers: { name: ThroughputRow['server']; child: ChildServer; prefix: string }[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'bench-raw-'));
  try {
    log('starting bare prism (CLI, -v silent) ...');
    const prism = await startPrism(join(root, 'generated/openapi.json'));
    servers.push({ name: 'prism', child: prism, prefix: '' });

    // The raw server answers the bytes bare Prism answers for each operation (the spec's examples).
    const bodies: Record<string, string> = {};
    for (const op of OPERATIONS) {
      const res = await fetch(`${prism.origin}${op}`, { headers });
      if (res.status !== 200) throw new Error(`prism ${op} answered ${res.status}`);
      bodies[`/v2${op}`] = await res.text();
    }
    writeFileSync(join(dir, 'bodies.json'), JSON.stringify(bodies));
    log('starting raw node:http server ...');
    servers.push({ name: 'raw', child: await startJsonPortChild(['bench/serve-raw.ts', join(dir, 'bodies.json')]), prefix: '/v2' });

    if (mockAvailable()) {
      log('starting the project mock (child process, all gates on) ...');
      servers.push({ name: 'mock', child: await startJsonPortChild(['bench/serve-mock.ts']), prefix: '/v2' });
    } else {
      notes.push('the project mock (src/mock/server.ts) does not exist yet: its rows are missing');
    }

    // Every server must answer 200 before it is measured, or the numbers would compare errors.
    for (const s of servers) {
      for (const op of OPERATIONS) {
        const res = await fetch(`${s.child.origin}${s.prefix}${op}`, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${s.name} ${s.prefix}${op} answered ${res.status}, not 200`);
      }
    }

    const perRound = new Map<string, ThroughputRow['perRound']>();
    // One short warm-up per server and operation so JIT and keep-alive are settled for round 1.
    for (const s of servers) {
      for (const op of OPERATIONS) {
        await autocannon({ url: `${s.child.origin}${s.prefix}${op}`, connections, duration: 1, headers });
      }
    }
    for (let round_ = 0; round_ < rounds; round_++) {
      for (const op of OPERATIONS) {
        // Rotate the order each round so no server always runs first (or right after another's GC).
        const order = servers.map((_, i) => servers[(i + round_) % servers.length]!);
        for (const s of order) {
          const result = await autocannon({
            url: `${s.child.origin}${s.prefix}${op}`,
            connections,
            duration: durationSec,
            headers,
          });
          const entry = {
            reqPerSec: result.requests.average,
            p50Ms: result.latency.p50,
            p99Ms: result.latency.p99,
            non2xx: result.non2xx,
            errors: result.errors + result.timeouts,
          };
          const id = `${s.name} ${op}`;
          perRound.set(id, [...(perRound.get(id) ?? []), entry]);
          log(
            `round ${round_ + 1}/${rounds} ${s.name.padEnd(5)} ${op.padEnd(18)} ${Math.round(entry.reqPerSec)} req/s p50 ${entry.p50Ms} ms p99 ${entry.p99Ms} ms` +
              (entry.non2xx || entry.errors ? ` non2xx ${entry.non2xx} errors ${entry.errors}` : ''),
          );
        }
      }
    }
    const rows: ThroughputRow[] = [];
    for (const op of OPERATIONS) {
      for (const s of servers) {
        const runs = perRound.get(`${s.name} ${op}`) ?? [];
        rows.push({
          server: s.name,
          path: `${s.prefix}${op}`,
          operation: `/v2${op}`,
          rounds: runs.length,
          reqPerSec: Math.round(median(runs.map((r) => r.reqPerSec))),
          p50Ms: round(median(runs.map((r) => r.p50Ms))),
          p99Ms: round(median(runs.map((r) => r.p99Ms))),
          perRound: runs,
          non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
          errors: runs.reduce((a, r) => a + r.errors, 0),
        });
      }
    }
    return { rows, notes };
  } finally {
    await Promise.all(servers.map((s) => s.child.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}
