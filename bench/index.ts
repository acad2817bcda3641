/**
 * `npm run bench`: measures the mock, the client and the build side by side in one run, prints a
 * table and writes bench/results.json. Ratios are what count: the machine is shared and noisy.
 *
 *   npm run bench                     everything (5 to 10 minutes on 2 shared cores)
 *   npm run bench -- --only=size,client
 *   npm run bench -- --quick          shorter runs for trying things out (results not for committing)
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { benchBuild, type BuildRow } from './build-pipeline.ts';
import { root } from './children.ts';
import { benchClientOverhead, type OverheadRow, type OwnWorkRow } from './client-overhead.ts';
import { benchClientSize, type SizeRow } from './client-size.ts';
import { benchMockThroughput, type ThroughputRow } from './mock-throughput.ts';
import { fmt, markdownTable, ratio, round } from './stats.ts';

const CLIENT_LABELS: Record<OverheadRow['variant'], string> = {
  fetch: 'plain `fetch` + `res.json()`',
  'fetch-signal': 'reference: the same `fetch` given an AbortSignal',
  'openapi-fetch': "reference: a bare openapi-fetch client's `GET('/balance')`",
  'openapi-fetch-lean': 'reference: the same, building no `Request` and giving `fetch` a signal, as the raw client does (its floor)',
  raw: "`client.raw.GET('/balance')`",
  resource: '`client.balance.get()`',
};
const OWN_WORK_LABELS: Record<OwnWorkRow['variant'], string> = {
  stub: 'the stub called directly + `res.json()`',
  'stub-signal': 'the stub given an AbortSignal (shared by 16 calls)',
  'openapi-fetch': "reference: a bare openapi-fetch client's `GET('/balance')` over the stub",
  resource: '`client.balance.get()`',
  raw: "`client.raw.GET('/balance')`",
};
const SIZE_LABELS: Record<SizeRow['bundle'], string> = {
  entry: 'the package, every export (src/index.ts + openapi-fetch)',
  client: 'the client: every export but the webhook helpers',
  webhooks: 'the webhook helpers alone (signWebhook, verifyWebhook, their error)',
  'openapi-fetch': 'openapi-fetch alone',
};
const SECTIONS = ['mock', 'client', 'size', 'build'] as const;
type Section = (typeof SECTIONS)[number];

interface Results {
  generatedAt: string;
  command: string;
  machine: { node: string; cpus: number; cpuModel: string; loadavgAtStart: number[] };
  settings: Record<string, unknown>;
  mock?: ThroughputRow[];
  client?: OverheadRow[];
  clientOwnWork?: OwnWorkRow[];
  size?: SizeRow[];
  build?: BuildRow[];
  goals: { goal: string; target: string; measured: string; met: boolean | null }[];
  notes: string[];
}

function parseArgs(argv: readonly string[]): { quick: boolean; only: Set<Section>; out: string | null } {
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  const only = new Set<Section>(
    onlyArg ? (onlyArg.slice('--only='.length).split(',') as Section[]).filter((s) => SECTIONS.includes(s)) : SECTIONS,
  );
  const outArg = argv.find((a) => a.startsWith('--out='));
  // Partial or quick runs do not overwrite the committed results unless asked to.
  const out = outArg ? outArg.slice('--out='.length) : quick || onlyArg ? null : join(root, 'bench/results.json');
  return { quick, only, out };
}

/** A middle half as `low–high` with its unit. */
function spread([low, high]: [number, number], unit: string): string {
  return `${low}–${high}${unit}`;
}

/** Renders the results as the Markdown tables the README quotes. */
export function renderTables(r: Results): string {
  const parts: string[] = [];
  if (r.mock?.length) {
    const prism = new Map(r.mock.filter((x) => x.server === 'prism').map((x) => [x.operation, x]));
    parts.push(
      markdownTable(
        ['operation', 'server', 'req/s', 'p50 ms', 'p99 ms', 'req/s vs prism', 'non-2xx'],
        r.mock.map((x) => [
          `GET ${x.operation}`,
          x.server === 'mock' ? 'this mock (all gates on)' : x.server === 'prism' ? 'bare `prism mock -v silent`' : 'raw node:http (ceiling)',
          fmt(x.reqPerSec),
          x.p50Ms,
          x.p99Ms,
          `${ratio(x.reqPerSec, prism.get(x.operation)?.reqPerSec ?? Number.NaN)}×`,
          x.non2xx,
        ]),
      ),
    );
  }
  if (r.client?.length) {
    parts.push(
      markdownTable(
        ['client call (GET /balance)', 'calls', 'µs/call (median chunk)', 'time vs fetch (median of rounds)', 'middle half of rounds', 'total time vs fetch'],
        r.client.map((x) => [
          CLIENT_LABELS[x.variant],
          fmt(x.calls),
          x.usPerCall,
          `${x.vsFetch}×`,
          x.variant === 'fetch' ? '' : spread(x.vsFetchMiddleHalf, '×'),
          `${x.vsFetchTotal}×`,
        ]),
      ),
    );
  }
  const own = r.clientOwnWork;
  const plainFetch = r.client?.find((x) => x.variant === 'fetch');
  const floor = own?.find((x) => x.variant === 'stub-signal');
  if (own?.length && floor) {
    // What the client adds by itself, with the network and the real fetch taken out, next to what a real
    // local call costs: the share the client's own code can account for in the ratios above.
    parts.push(
      markdownTable(
        ['fetch stubbed (answers at once)', 'µs/call (median chunk)', 'µs over the stub given a signal', 'that, over a real plain `fetch` call'],
        own.map((x) => [
          OWN_WORK_LABELS[x.variant],
          x.usPerCall,
          x.variant === 'stub' ? '' : round(x.usPerCall - floor.usPerCall, 2),
          x.variant === 'stub' || !plainFetch ? '' : `${round(((x.usPerCall - floor.usPerCall) / plainFetch.usPerCall) * 100, 1)}%`,
        ]),
      ),
    );
  }
  if (r.size?.length) {
    parts.push(
      markdownTable(
        ['bundle (esbuild, minified, neutral platform)', 'min bytes', 'min+gzip bytes'],
        r.size.map((x) => [SIZE_LABELS[x.bundle], fmt(x.minBytes), fmt(x.gzipBytes)]),
      ),
    );
  }
  if (r.build?.length) {
    parts.push(
      markdownTable(
        ['build', 'wall s (median)', 'middle half', 'wall vs separate', 'CPU s (median)', 'CPU vs separate'],
        r.build.map((x) => [x.variant, x.seconds, spread(x.secondsMiddleHalf, ' s'), x.vsSeparate === null ? '' : `${x.vsSeparate}×`, x.cpuSeconds, `${x.cpuVsSeparate}×`]),
      ),
    );
  }
  if (r.goals.length) {
    parts.push(
      markdownTable(
        ['goal', 'target', 'measured', 'met'],
        r.goals.map((g) => [g.goal, g.target, g.measured, g.met === null ? 'not measured' : g.met ? 'yes' : 'no']),
      ),
    );
  }
  return parts.join('\n\n');
}

function goals(r: Results): Results['goals'] {
  const out: Results['goals'] = [];
  for (const op of ['/v2/balance', '/v2/catalog/networks']) {
    const mock = r.mock?.find((x) => x.server === 'mock' && x.operation === op);
    const prism = r.mock?.find((x) => x.server === 'prism' && x.operation === op);
    out.push({
      goal: `mock GET ${op}`,
      target: '≥ 1.0× prism req/s, p99 ≤ prism',
      measured: mock && prism ? `${ratio(mock.reqPerSec, prism.reqPerSec)}×, p99 ${mock.p99Ms} vs ${prism.p99Ms} ms` : 'n/a',
      met: mock && prism ? mock.reqPerSec >= prism.reqPerSec && mock.p99Ms <= prism.p99Ms : null,
    });
  }
  for (const variant of ['resource', 'raw'] as const) {
    const row = r.client?.find((x) => x.variant === variant);
    out.push({
      goal: `client ${variant} overhead`,
      target: '≤ 1.08× fetch',
      measured: row ? `${row.vsFetch}× (middle half of rounds ${spread(row.vsFetchMiddleHalf, '×')})` : 'n/a',
      met: row ? row.vsFetch <= 1.08 : null,
    });
  }
  for (const bundle of ['client', 'entry'] as const) {
    const size = r.size?.find((x) => x.bundle === bundle);
    out.push({
      goal: bundle === 'client' ? 'client size (all but the webhook helpers)' : 'package size (every export)',
      target: '≤ 6 kB min+gz',
      measured: size ? `${fmt(size.gzipBytes)} B` : 'n/a',
      met: size ? size.gzipBytes <= 6_000 : null,
    });
  }
  const cold = r.build?.find((x) => x.id === 'cold');
  const warm = r.build?.find((x) => x.id === 'warm');
  const warmDirect = r.build?.find((x) => x.id === 'warm-direct');
  out.push({
    goal: 'build cold (wall, paired per round)',
    target: '≤ 0.6× separate calls',
    measured: cold?.vsSeparate != null ? `${cold.vsSeparate}× (CPU ${cold.cpuVsSeparate}×)` : 'n/a',
    met: cold?.vsSeparate != null ? cold.vsSeparate <= 0.6 : null,
  });
  // Where the environment makes every Node start load an extra CA bundle, the goal is also judged with Node
  // started plainly: the same command, the same fast path, only that variable unset.
  const warmPlain = r.build?.find((x) => x.id === 'warm-plain-node');
  const seconds = (x: BuildRow): string => `${x.seconds} s (middle half ${spread(x.secondsMiddleHalf, ' s')})`;
  out.push({ goal: 'build warm (`npm run build`)', target: '≤ 0.3 s', measured: warm ? seconds(warm) : 'n/a', met: warm ? warm.seconds <= 0.3 : null });
  if (warmPlain) {
    out.push({ goal: 'build warm (`npm run build`, NODE_EXTRA_CA_CERTS unset)', target: '≤ 0.3 s', measured: seconds(warmPlain), met: warmPlain.seconds <= 0.3 });
  }
  if (warmDirect) {
    out.push({ goal: 'build warm (`node scripts/build.mjs`)', target: '≤ 0.3 s', measured: `${warmDirect.seconds} s (CPU ${warmDirect.cpuSeconds} s)`, met: warmDirect.seconds <= 0.3 });
  }
  return out;
}

async function main(): Promise<void> {
  const { quick, only, out } = parseArgs(process.argv.slice(2));
  const log = (line: string): void => console.error(`bench: ${line}`);
  const settings = {
    mock: { rounds: quick ? 1 : 3, durationSec: quick ? 2 : 5, connections: 10 },
    // 180 rounds: one round's ratio spreads by about ±0.1 on this machine, and a run's median must not move by the margin.
    client: { callsPerVariant: quick ? 1_000 : 36_000, chunkSize: 200 },
    build: { rounds: quick ? 1 : 5 },
  };
  const results: Results = {
    generatedAt: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', loadavgAtStart: loadavg().map((x) => Math.round(x * 100) / 100) },
    settings,
    goals: [],
    notes: [],
  };
  if (only.has('size')) {
    log('client size ...');
    const { rows, notes } = await benchClientSize();
    results.size = rows;
    results.notes.push(...notes);
  }
  if (only.has('mock')) {
    log('mock throughput ...');
    const { rows, notes } = await benchMockThroughput({ ...settings.mock, log });
    results.mock = rows;
    results.notes.push(...notes);
  }
  if (only.has('client')) {
    log('client overhead ...');
    const { rows, ownWork, notes } = await benchClientOverhead({ ...settings.client, log });
    results.client = rows;
    results.clientOwnWork = ownWork;
    results.notes.push(...notes);
  }
  if (only.has('build')) {
    log('build pipeline ...');
    const { rows, notes } = await benchBuild({ ...settings.build, log });
    results.build = rows;
    results.notes.push(...notes);
  }
  results.goals = goals(results);
  const tables = renderTables(results);
  console.log(tables);
  if (results.notes.length) console.log(`\nNotes:\n${results.notes.map((n) => `- ${n}`).join('\n')}`);
  if (out) {
    writeFileSync(out, `${JSON.stringify({ ...results, tables }, null, 2)}\n`);
    log(`wrote ${out}`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
