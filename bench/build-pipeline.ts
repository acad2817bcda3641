/**
 * Build pipeline: `npm run build` cold (no build cache) and warm (nothing changed), against the
 * same tools run one by one from the command line to make the same outputs. Wall time of whole
 * processes, interleaved round by round, median of the rounds.
 *
 * `npm run build` does not type-check src/ (it writes the same dist/ files as tsc; type errors are
 * `npm run lint:ts`'s), while the separate calls' `build:client` is tsc with its type-check: the
 * cold build with `--typecheck` is measured beside it, so the price of keeping the check shows.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './children.ts';
import { median, middleHalf, ratio, round } from './stats.ts';

export interface BuildRow {
  id: 'separate' | 'cold' | 'cold-typecheck' | 'warm' | 'warm-plain-node' | 'warm-script' | 'warm-direct' | 'npm-noop';
  variant: string;
  seconds: number;
  /** The first and third quartiles of the wall seconds: how far this run's samples spread. */
  secondsMiddleHalf: [number, number];
  vsSeparate: number | null;
  /** CPU seconds (user + system) of the whole process tree, median over the rounds. */
  cpuSeconds: number;
  /** CPU seconds over the separate calls' CPU seconds. */
  cpuVsSeparate: number;
  /** For the separate calls: each command and its median seconds. */
  steps?: { command: string; seconds: number }[];
}

interface Command {
  label: string;
  argv: string[];
  cwd: string;
}

function isPlaceholder(script: string | undefined): boolean {
  return !script || /not written yet/.test(script);
}

/** The tools `npm run build` drives, each as its own command-line call (bins run by node, no npx). */
function separateCommands(out: string): { commands: Command[]; notes: string[] } {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const bin = (name: string): string => join(root, 'node_modules/.bin', name);
  const notes: string[] = [];
  const commands: Command[] = [
    { label: 'redocly bundle → openapi.json', argv: [bin('redocly'), 'bundle', 'openapi/openapi.yaml', '-o', join(out, 'openapi.json')], cwd: root },
    { label: 'redocly bundle → openapi.yaml', argv: [bin('redocly'), 'bundle', 'openapi/openapi.yaml', '-o', join(out, 'openapi.yaml')], cwd: root },
    // Run outside the project: the openapi-typescript CLI would otherwise read redocly.yaml's apis.
    { label: 'openapi-typescript → schema.d.ts', argv: [bin('openapi-typescript'), join(out, 'openapi.json'), '-o', join(out, 'schema.d.ts')], cwd: out },
  ];
  // The code samples are made in-process by gen.ts (scripts/samples/); as its own command-line step
  // it reads the bundled spec, adds x-codeSamples and writes it back.
  if (existsSync(join(root, 'scripts/samples/index.ts'))) {
    const code = [
      "import { readFileSync, writeFileSync } from 'node:fs';",
      "import { withCodeSamples } from './scripts/samples/index.ts';",
      `const file = ${JSON.stringify(join(out, 'openapi.json'))};`,
      "writeFileSync(file, JSON.stringify(withCodeSamples(JSON.parse(readFileSync(file, 'utf8'))), null, 2));",
    ].join(' ');
    commands.push({ label: 'tsx: add x-codeSamples (scripts/samples/)', argv: [bin('tsx'), '--eval', code], cwd: root });
  } else {
    notes.push('no samples step (scripts/samples/) yet: the separate calls leave it out, as the build does');
  }
  if (existsSync(join(root, 'scripts/docs.ts'))) {
    const docsFlags = ['--config=docs-site/redocly.yaml', '--template=docs-site/template.hbs', '--inlineBundle', '--title=Click Airtime V2 API'];
    commands.push({ label: 'redocly build-docs → index.html', argv: [bin('redocly'), 'build-docs', join(out, 'openapi.json'), ...docsFlags, `--output=${join(out, 'index.html')}`], cwd: root });
  } else {
    notes.push('the docs step (scripts/docs.ts) does not exist yet: neither side builds the docs page');
  }
  if (!isPlaceholder(scripts['build:client'])) {
    commands.push({ label: `build:client (${scripts['build:client']})`, argv: ['sh', '-c', scripts['build:client']!], cwd: root });
  } else {
    notes.push('`npm run build:client` is not written yet: neither side builds dist/');
  }
  return { commands, notes };
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/**
 * CPU seconds used so far by this process's waited-for descendants (Linux /proc; NaN elsewhere).
 * Unlike wall time it hardly moves with the load of other processes on a shared machine.
 */
function childrenCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of every command timed so far, by label; filled by {@link timed}. */
const cpuLog: number[] = [];

/**
 * The variable this machine's environment sets to make every Node process load an extra CA bundle at
 * start-up (a proxy's certificate). It costs each Node start a fixed slice of time, whatever the process does.
 */
const EXTRA_CA = 'NODE_EXTRA_CA_CERTS';

function timed(argv: readonly string[], cwd: string, options: { plainNode?: boolean } = {}): number {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH ?? ''}` };
  if (options.plainNode) delete env[EXTRA_CA];
  const started = performance.now();
  const cpuBefore = childrenCpuSeconds();
  const [cmd, ...args] = argv;
  const result = spawnSync(cmd!, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
  const seconds = (performance.now() - started) / 1000;
  cpuLog.push(childrenCpuSeconds() - cpuBefore);
  if (result.status !== 0) {
    throw new Error(`${argv.join(' ')} failed (${result.status ?? result.signal}):\n${result.stderr?.toString().slice(-2_000)}`);
  }
  return seconds;
}

export async function benchBuild(options: { rounds: number; log: (line: string) => void }): Promise<{ rows: BuildRow[]; notes: string[] }> {
  const { rounds, log } = options;
  const out = mkdtempSync(join(tmpdir(), 'bench-build-'));
  const { commands, notes } = separateCommands(out);
  const cache = join(root, 'node_modules/.cache/clickairtime-build');
  const perCommand = new Map<string, number[]>(commands.map((c) => [c.label, []]));
  const extraCa = !!process.env[EXTRA_CA];
  // Every timed run's wall and CPU seconds, by what it measures (a row, or Node's start-up for the notes).
  type SampleId = BuildRow['id'] | 'node-start' | 'node-start-plain';
  const wall = new Map<SampleId, number[]>();
  const cpu = new Map<SampleId, number[]>();
  const add = (id: SampleId, seconds: number, cpuSeconds: number): void => {
    if (!wall.has(id)) (wall.set(id, []), cpu.set(id, []));
    wall.get(id)!.push(seconds);
    cpu.get(id)!.push(cpuSeconds);
  };
  const lastCpu = (n: number): number => cpuLog.slice(-n).reduce((a, b) => a + b, 0);
  const sample = (id: SampleId, argv: readonly string[], cwd: string, options?: { plainNode?: boolean }): void =>
    add(id, timed(argv, cwd, options), lastCpu(1));
  const last = (id: SampleId): number => wall.get(id)!.at(-1)!;
  const coldRatios: number[] = [];
  const coldCheckedRatios: number[] = [];
  // npm's own start-up, for scale: `npm run` of a script that does nothing, in a bare package.
  const bare = join(out, 'bare');
  mkdirSync(bare);
  writeFileSync(join(bare, 'package.json'), JSON.stringify({ name: 'bare', private: true, scripts: { noop: 'true' } }));
  for (let r = 0; r < rounds; r++) {
    const runSeparate = (): void => {
      let total = 0;
      for (const c of commands) {
        const s = timed(c.argv, c.cwd);
        perCommand.get(c.label)!.push(s);
        total += s;
      }
      add('separate', total, lastCpu(commands.length));
    };
    const runCold = (): void => {
      rmSync(cache, { recursive: true, force: true });
      sample('cold', ['npm', 'run', '--silent', 'build'], root);
      rmSync(cache, { recursive: true, force: true });
      sample('cold-typecheck', ['npm', 'run', '--silent', 'build', '--', '--typecheck'], root);
    };
    // Alternate which goes first, and pair them: the ratio is taken within each round.
    if (r % 2 === 0) {
      runSeparate();
      runCold();
    } else {
      runCold();
      runSeparate();
    }
    coldRatios.push(last('cold') / last('separate'));
    coldCheckedRatios.push(last('cold-typecheck') / last('separate'));
    // Short runs: three of each per round, interleaved, so a stall hits one sample.
    for (let k = 0; k < 3; k++) {
      sample('warm', ['npm', 'run', '--silent', 'build'], root);
      if (extraCa) sample('warm-plain-node', ['npm', 'run', '--silent', 'build'], root, { plainNode: true });
      sample('warm-script', ['sh', 'scripts/build.sh'], root);
      sample('warm-direct', [process.execPath, 'scripts/build.mjs'], root);
      sample('npm-noop', ['npm', 'run', '--silent', 'noop'], bare);
      sample('node-start', [process.execPath, '-e', '0'], root);
      if (extraCa) sample('node-start-plain', [process.execPath, '-e', '0'], root, { plainNode: true });
    }
    log(
      `round ${r + 1}/${rounds}: separate ${round(last('separate'))} s, cold ${round(last('cold'))} s (with --typecheck ${round(last('cold-typecheck'))} s), warm ${round(last('warm'))} s${extraCa ? ` (without ${EXTRA_CA} ${round(last('warm-plain-node'))} s)` : ''}, fast path alone ${round(last('warm-script'))} s, warm direct ${round(last('warm-direct'))} s, npm no-op ${round(last('npm-noop'))} s, node -e 0 ${round(last('node-start'))} s`,
    );
  }
  rmSync(out, { recursive: true, force: true });
  const separate = wall.get('separate')!;
  const cold = wall.get('cold')!;
  const sep = median(separate);
  notes.push(`build rounds (separate / cold s): ${separate.map((x, i) => `${round(x)} / ${round(cold[i]!)}`).join(', ')}`);
  const cpuSep = median(cpu.get('separate')!);
  const med = (id: SampleId): number => median(wall.get(id)!);
  const cpuOf = (id: SampleId) => ({ cpuSeconds: round(median(cpu.get(id)!)), cpuVsSeparate: ratio(median(cpu.get(id)!), cpuSep) });
  // A row whose ratio is its median over the separate calls' median.
  const row = (id: BuildRow['id'], variant: string): BuildRow => ({ id, variant, seconds: round(med(id)), secondsMiddleHalf: middleHalf(wall.get(id)!), vsSeparate: ratio(med(id), sep), ...cpuOf(id) });
  const rows: BuildRow[] = [
    {
      ...row('separate', 'the tools one by one'),
      steps: commands.map((c) => ({ command: c.label, seconds: round(median(perCommand.get(c.label)!)) })),
    },
    // Paired: the median of each round's cold / separate, robust to load that shifts between rounds.
    { ...row('cold', '`npm run build`, cold (no cache; src/ not type-checked)'), vsSeparate: round(median(coldRatios)) },
    { ...row('cold-typecheck', '`npm run build -- --typecheck`, cold (type-checks src/ as tsc does)'), vsSeparate: round(median(coldCheckedRatios)) },
    row('warm', '`npm run build`, warm (nothing changed: the shell fast path)'),
    ...(extraCa ? [row('warm-plain-node', `\`npm run build\`, warm, with Node started plainly (${EXTRA_CA} unset)`)] : []),
    row('warm-script', '`sh scripts/build.sh`, warm (the fast path alone: no npm, no Node)'),
    row('warm-direct', '`node scripts/build.mjs`, warm (no npm start-up)'),
    row('npm-noop', '`npm run` of a no-op script (npm start-up alone, for scale)'),
  ];
  notes.push(
    extraCa
      ? `This machine's environment sets ${EXTRA_CA}, which makes every Node process load a CA bundle as it starts: \`node -e 0\` took ${round(med('node-start'))} s, and ${round(med('node-start-plain'))} s with it unset. npm is a Node program, so \`npm run\` pays it too.`
      : `\`node -e 0\` took ${round(med('node-start'))} s.`,
  );
  notes.push(
    '`npm run build` writes dist/ with TypeScript\'s single-file emitters (the same files as `tsc -p tsconfig.build.json`) without type-checking src/; the separate calls\' build:client type-checks. Type errors are reported by `npm run lint:ts` (in `npm test`), `npm run build:client` and `npm run build -- --typecheck`.',
  );
  return { rows, notes };
}
