#!/usr/bin/env node
/**
 * `npm run build` (through scripts/build.sh, which skips node altogether when nothing changed):
 * the bundled spec and its types (and whatever else scripts/gen.ts generates), then the docs page
 * and the client's dist/ side by side. A step is skipped when the hash of its inputs and of its
 * outputs matches its last successful run, so a build with nothing changed only hashes files.
 *
 *   node scripts/build.mjs               build what changed
 *   node scripts/build.mjs --force       rebuild every step, ignoring the cache
 *   node scripts/build.mjs --typecheck   also type-check src/ as tsc does (see CLIENT_TYPE_CHECK)
 *
 * Two processes share the work on a cold build: this one bundles the spec (and then waits for the
 * docs page, which docs.ts makes in a child), and scripts/build-worker.mjs loads TypeScript once
 * for the client's dist/ and for openapi-typescript's types.
 *
 * Plain JavaScript on purpose: loading tsx alone costs about 300 ms, more than the whole warm
 * path. TypeScript tooling (esbuild, gen.ts and what it imports) is loaded only when a step runs.
 * `npm run gen:check` stays the honest full rebuild-and-compare; this cache never feeds it.
 */
import { fork, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = join(root, 'node_modules/.cache/clickairtime-build');
const stateFile = join(cacheDir, 'state.json');
/** Read by scripts/build.sh, the `npm run build` fast path: see {@link writeFastPath}. */
const fastPathFile = join(cacheDir, 'fast-path');
const CACHE_VERSION = 2;

/**
 * The steps. `inputs`/`outputs` are files or folders relative to the root; outputs are left out
 * of the input hash. Script steps run the package.json script of that name (its command line,
 * without npm's own start-up cost) and are skipped while that script is still a placeholder.
 */
const STEPS = [
  {
    name: 'spec',
    after: [],
    // gen.ts's own local imports (the code-samples hook, say) are added from esbuild's metafile.
    inputs: ['openapi', 'redocly.yaml', 'scripts/gen.ts', 'scripts/redocly-house-rules.js', 'package-lock.json'],
    outputs: ['generated'],
    run: runGen,
  },
  {
    name: 'docs',
    // Starts as soon as generated/openapi.json is final, while the types are still being made.
    after: ['spec-json'],
    // scripts/docs.ts's buildDocs(), called in-process: `npm run docs` would run gen again first.
    module: 'scripts/docs.ts',
    inputs: ['generated/openapi.json', 'docs-site', 'scripts/docs.ts', 'package-lock.json'],
    outputs: ['docs-site/index.html'],
    run: runDocs,
    // Compiled while it waits for the spec, when it looks like it will have to run.
    prepare: () => compileAndImport('scripts/docs.ts').catch(() => undefined),
  },
  {
    name: 'client',
    after: ['spec'],
    // Starts at once on the committed generated/schema.d.ts; if gen.ts changes that file, it runs
    // again. The common cold build (a fresh clone, or a change outside openapi/) then costs the
    // longest step, not the sum.
    speculative: true,
    script: 'build:client',
    run: runClient,
    inputs: ['src', 'generated/schema.d.ts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'],
    outputs: ['dist'],
  },
];

const IGNORED_DIRS = new Set(['node_modules', '.git']);

/** Every file under `entry` (a file or a folder), relative to the root, sorted. */
function listFiles(entry) {
  const abs = join(root, entry);
  let stat;
  try {
    stat = statSync(abs);
  } catch {
    return [];
  }
  if (stat.isFile()) return [entry];
  const files = [];
  for (const dirent of readdirSync(abs, { recursive: true, withFileTypes: true })) {
    if (!dirent.isFile()) continue;
    const file = relative(root, join(dirent.parentPath ?? dirent.path, dirent.name)).split(sep).join('/');
    if (file.split('/').some((part) => IGNORED_DIRS.has(part))) continue;
    files.push(file);
  }
  return files.sort();
}

/**
 * Content hashes of files, memoised by size and mtime like make or git's index: on a warm run most
 * files are only stat()ed. A file touched within a second of the last save is always re-read (git's
 * "racy" rule), so a same-size rewrite in the same clock tick can't slip through.
 */
const memo = { previous: {}, trustedBefore: 0, seen: {} };

function fileHash(file) {
  const abs = join(root, file);
  const st = statSync(abs);
  const known = memo.previous[file];
  let hex;
  if (known && known[0] === st.size && known[1] === st.mtimeMs && st.mtimeMs < memo.trustedBefore) hex = known[2];
  else hex = createHash('sha256').update(readFileSync(abs)).digest('hex');
  memo.seen[file] = [st.size, st.mtimeMs, hex];
  return hex;
}

/** One hash over the names and contents of every file under `entries`, minus `exclude`. */
function hashFiles(entries, exclude = []) {
  const excluded = (file) => exclude.some((e) => file === e || file.startsWith(`${e}/`));
  const files = [...new Set(entries.flatMap(listFiles))].filter((f) => !excluded(f)).sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0${fileHash(file)}\0`);
  return `${files.length}:${hash.digest('hex')}`;
}

function readState() {
  try {
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    if (state.version !== CACHE_VERSION) return { version: CACHE_VERSION, steps: {} };
    memo.previous = state.files ?? {};
    memo.trustedBefore = (state.savedAt ?? 0) - 1_000;
    return state;
  } catch {
    return { version: CACHE_VERSION, steps: {} };
  }
}

function stepInputs(step, state) {
  return [...step.inputs, ...(state.steps[step.name]?.extraInputs ?? [])];
}

/**
 * Compiles a TypeScript entry (and its local imports) into one ESM file with esbuild, packages left
 * external, and imports it. Returns the module and the local files it was made from.
 */
const compiled = new Map();
function compileAndImport(entry, plugins = []) {
  if (!compiled.has(entry)) compiled.set(entry, compileAndImportOnce(entry, plugins));
  return compiled.get(entry);
}

async function compileAndImportOnce(entry, plugins) {
  const { build } = await import('esbuild');
  const outfile = join(cacheDir, `${entry.replace(/[^\w]+/g, '_')}.mjs`);
  const keepImportMeta = {
    name: 'keep-import-meta',
    setup(b) {
      // Bundled into one file, each module must still see its own location (gen.ts and docs.ts
      // find the project root from import.meta.url).
      b.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        const contents = source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
        return { contents, loader: /\.[cm]?js$/.test(args.path) ? 'js' : 'ts' };
      });
    },
  };
  const result = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    metafile: true,
    logLevel: 'error',
    plugins: [...plugins, keepImportMeta],
  });
  const localInputs = Object.keys(result.metafile.inputs)
    // Plugin-made modules (`lazy-ots:openapi-typescript`) are no files.
    .filter((p) => !/^[\w-]+:/.test(p))
    .map((p) => relative(root, join(root, p)).split(sep).join('/'))
    .filter((p) => !p.startsWith('node_modules/'));
  return { module: await import(`${pathToFileURL(outfile).href}?t=${Date.now()}`), localInputs };
}

/**
 * The client step's command line as package.json has it. While `build:client` is exactly this, the
 * step is done by scripts/build-worker.mjs through the TypeScript API (same emitter, same files);
 * any other command line is run as it is.
 */
const BUILD_CLIENT = `tsc -p tsconfig.build.json && node -e "require('node:fs').cpSync('generated/schema.d.ts', 'dist/generated/schema.d.ts')"`;
/**
 * Whether the client step type-checks src/ as `tsc` does (`--typecheck`). By default it does not:
 * the worker writes dist/ with TypeScript's single-file emitters (or, where those don't apply, the
 * program with `noCheck`), the same files tsc writes, and type errors are reported by
 * `npm run lint:ts` (part of `npm test`) and `npm run build:client` instead.
 */
const CLIENT_TYPE_CHECK = process.argv.includes('--typecheck');

/** scripts/build-worker.mjs, forked on first use: it loads TypeScript once for the client and the types. */
let worker;
function buildWorker() {
  if (worker) return worker;
  const child = fork(join(root, 'scripts/build-worker.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  const pending = new Map();
  let nextId = 0;
  child.on('message', ({ id, ok, value, error }) => {
    const call = pending.get(id);
    pending.delete(id);
    if (ok) call?.resolve(value);
    else call?.reject(new Error(error));
  });
  child.once('exit', (code, signal) => {
    for (const call of pending.values()) call.reject(new Error(`build: the worker exited (${code ?? signal})`));
    pending.clear();
    worker = undefined;
  });
  worker = {
    child,
    call: (job, args) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ id, job, args });
      }),
  };
  return worker;
}

async function runClient(command) {
  if (command !== BUILD_CLIENT) return runScript('build:client', command);
  const { how } = await buildWorker().call('client', { check: CLIENT_TYPE_CHECK });
  return { detail: `src/ → dist/ as \`npm run build:client\` does, ${how}` };
}

/**
 * After a successful build, the manifest scripts/build.sh checks before it starts node: a digest
 * over the names and contents of every file under every step's inputs and outputs (the ones
 * found while running too), package.json (the script lines) and this file, then those entries,
 * one a line. The shell recomputes the digest the same way (sha256sum over `find`); any file
 * added, removed or changed makes them differ and node runs. Where the two could disagree on a
 * name (a backslash or newline in it), no manifest is written.
 */
function writeFastPath(state) {
  const all = new Set(['package.json', 'scripts/build.mjs']);
  for (const step of STEPS) for (const entry of [...stepInputs(step, state), ...step.outputs]) all.add(entry);
  // An entry inside another one would make `find` list its files twice.
  const entries = [...all].filter((e) => ![...all].some((o) => e.startsWith(`${o}/`))).sort();
  const files = [...new Set(entries.flatMap(listFiles))].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  if ([...entries, ...files].some((name) => /[\\\n\r]/.test(name))) return;
  // sha256sum's line per file is "<hex>  <name>\n"; the digest is the sha256 of all of them.
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${fileHash(file)}  ${file}\n`);
  const next = `${fastPathFile}.${process.pid}.tmp`;
  writeFileSync(next, `${hash.digest('hex')}\n${entries.join('\n')}\n`);
  renameSync(next, fastPathFile);
}

/** Resolved with the text of generated/openapi.json as soon as gen.ts has the final spec. */
let announceSpec;
const specAnnounced = new Promise((resolve) => {
  announceSpec = resolve;
});

/**
 * gen.ts imports openapi-typescript (and with it TypeScript) statically. In the compiled copy that
 * import becomes this stand-in, which does what gen.ts itself is unchanged by:
 *
 * - when gen.ts calls it, it first hands over the spec it is called with (the final one, code
 *   samples and all), so the docs page starts building at once;
 * - it has the worker make the types (TypeScript is loaded there anyway) and gives gen.ts back an
 *   opaque result that its own astToString turns into that text, so this process never loads
 *   TypeScript;
 * - otherwise (options that can't be sent, no worker) it loads the package here, require()ing the
 *   CommonJS build: imported from ESM, the 9 MB CommonJS `typescript` is first lexed for its
 *   export names and sniffed for ESM syntax, which cost about a second of CPU; require() skips both.
 */
const lazyOpenapiTypescript = {
  name: 'lazy-openapi-typescript',
  setup(b) {
    b.onResolve({ filter: /^openapi-typescript$/ }, (args) =>
      args.namespace === 'lazy-ots' ? undefined : { path: 'openapi-typescript', namespace: 'lazy-ots' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-ots' }, () => ({
      resolveDir: root,
      loader: 'js',
      contents: `
        import { createRequire } from 'node:module';
        let real;
        async function load() {
          try {
            return createRequire(${JSON.stringify(pathToFileURL(join(root, 'package.json')).href)})('openapi-typescript');
          } catch {
            return import('openapi-typescript');
          }
        }
        const TEXT = '__clickairtimeBuildText';
        export default async function openapiTS(spec, options) {
          const build = globalThis.__clickairtimeBuild;
          build?.specFound(spec);
          if (build && spec && typeof spec === 'object' && !ArrayBuffer.isView(spec) && !(spec instanceof URL)) {
            let cloneable = true;
            try {
              structuredClone(options);
            } catch {
              cloneable = false;
            }
            if (cloneable) return { [TEXT]: await build.types(spec, options) };
          }
          real ??= await load();
          return real.default(spec, options);
        }
        export function astToString(ast, ...rest) {
          if (ast && typeof ast === 'object' && TEXT in ast && rest.length === 0) return ast[TEXT];
          if (!real) throw new Error('build: astToString called before openapiTS');
          return real.astToString(ast, ...rest);
        }`,
    }));
  },
};

function writeIfChanged(file, contents) {
  const path = join(root, file);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (current === contents) return false;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, contents);
  return true;
}

/** The spec step: gen.ts's buildArtifacts(), writing only files whose contents changed (as gen.ts does). */
async function runGen() {
  // Loaded meanwhile on this thread, while esbuild compiles gen.ts in its own process.
  const preload = import('@redocly/openapi-core').catch(() => undefined);
  const { module: gen, localInputs } = await compileAndImport('scripts/gen.ts', [lazyOpenapiTypescript]);
  await preload;
  let early;
  globalThis.__clickairtimeBuild = {
    // openapi-typescript runs in the worker, where TypeScript is loaded anyway for the client.
    types: (spec, options) => buildWorker().call('types', { spec, options }),
    // gen.ts writes `${JSON.stringify(spec, null, 2)}\n`; checked against its real output below.
    specFound(spec) {
      early ??= `${JSON.stringify(spec, null, 2)}\n`;
      writeIfChanged('generated/openapi.json', early);
      announceSpec(early);
    },
  };
  const artifacts = await gen.buildArtifacts();
  const written = [];
  for (const [file, contents] of artifacts) if (writeIfChanged(file, contents)) written.push(file);
  const final = artifacts.get('generated/openapi.json');
  // Had the early copy been wrong, the docs page was built from it: say so, so it is rebuilt.
  const earlyWasWrong = early !== undefined && early !== final;
  announceSpec(final);
  return {
    extraInputs: localInputs,
    earlyWasWrong,
    detail: written.length ? `wrote ${written.join(', ')}` : `${artifacts.size} files unchanged`,
  };
}

/** The docs step: docs.ts's buildDocs() (Redocly build-docs on generated/openapi.json). */
async function runDocs() {
  const { module: docs, localInputs } = await compileAndImport('scripts/docs.ts');
  const { bytes } = await docs.buildDocs();
  return { extraInputs: localInputs, detail: `wrote docs-site/index.html (${Math.round(bytes / 1024)} KiB)` };
}

/** Runs a package.json script's command line with node_modules/.bin on the PATH, as npm would. */
function runScript(name, command) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, PATH: `${join(root, 'node_modules/.bin')}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH ?? ''}` };
    const child = spawn(command, { cwd: root, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk) => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve({ detail: `ran \`${command}\`` });
      else reject(new Error(`\`npm run ${name}\` (${command}) failed with exit code ${code}\n${output}`));
    });
  });
}

async function main() {
  const force = process.argv.includes('--force');
  const started = performance.now();
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts ?? {};
  const state = readState();
  // Until this run has succeeded, the shell fast path must not skip it.
  rmSync(fastPathFile, { force: true });
  const done = new Map();
  const report = [];
  let specResult;

  const gate = (dep) =>
    dep === 'spec-json'
      ? // The spec JSON is final when gen.ts announces it, or when the spec step ends (skipped, say).
        Promise.race([specAnnounced, done.get('spec')])
      : done.get(dep);
  const runStep = async (step) => {
    if (step.prepare) {
      const previous = state.steps[step.name];
      if (force || !previous || previous.inputHash !== hashFiles(stepInputs(step, state), step.outputs)) step.prepare();
    }
    if (!step.speculative) await Promise.all(step.after.map(gate));
    const t0 = performance.now();
    let command;
    if (step.module && !existsSync(join(root, step.module))) {
      report.push(`${step.name}: skipped (${step.module} does not exist yet)`);
      return;
    }
    if (step.script) {
      command = scripts[step.script];
      if (!command || /not written yet/.test(command)) {
        report.push(`${step.name}: skipped (\`npm run ${step.script}\` is not written yet)`);
        return;
      }
    }
    // The cache tells a type-checked client from an unchecked one: a checked one will do for a
    // plain build (the files are the same), an unchecked one not for --typecheck.
    const checked = step.name === 'client' && command === BUILD_CLIENT;
    const cacheKey = checked && CLIENT_TYPE_CHECK ? `${command} --typecheck` : command;
    const sameCommand = (previous) => previous === cacheKey || (checked && !CLIENT_TYPE_CHECK && previous === `${command} --typecheck`);
    const attempt = async () => {
      const inputHash = hashFiles(stepInputs(step, state), step.outputs);
      const previous = state.steps[step.name];
      if (!force && previous && previous.inputHash === inputHash && sameCommand(previous.command) && previous.outputHash === hashFiles(step.outputs)) {
        return { inputHash, result: undefined };
      }
      return { inputHash, result: step.run ? await step.run(command) : await runScript(step.script, command) };
    };
    let outcome = await attempt();
    if (step.speculative) {
      // Started before its inputs were final: keep the work only if they did not change meanwhile.
      await Promise.all(step.after.map(gate));
      if (hashFiles(stepInputs(step, state), step.outputs) !== outcome.inputHash) outcome = await attempt();
    }
    const { result } = outcome;
    if (!result) {
      report.push(`${step.name}: up to date`);
      return;
    }
    if (step.name === 'spec') specResult = result;
    const extraInputs = result.extraInputs ?? [];
    state.steps[step.name] = {
      command: cacheKey,
      extraInputs,
      // Hash again with the inputs found while running, so the next run compares like with like.
      inputHash: hashFiles([...step.inputs, ...extraInputs], step.outputs),
      outputHash: hashFiles(step.outputs),
    };
    report.push(`${step.name}: ${result.detail} in ${Math.round(performance.now() - t0)} ms`);
  };

  for (const step of STEPS) done.set(step.name, runStep(step));
  let outcomes = await Promise.allSettled(done.values());
  if (outcomes.every((o) => o.status === 'fulfilled') && specResult?.earlyWasWrong) {
    // Not expected (gen.ts writes the spec exactly so), but never leave a page built from a stale spec.
    delete state.steps.docs;
    outcomes = await Promise.allSettled([runStep(STEPS.find((st) => st.name === 'docs'))]);
  }
  worker?.child.disconnect();
  const failed = outcomes.filter((o) => o.status === 'rejected');
  mkdirSync(cacheDir, { recursive: true });
  if (failed.length === 0) writeFastPath(state);
  writeFileSync(stateFile, `${JSON.stringify({ ...state, savedAt: Date.now(), files: { ...memo.previous, ...memo.seen } })}\n`);
  for (const line of report) console.log(`build: ${line}`);
  if (failed.length > 0) {
    for (const f of failed) console.error(f.reason instanceof Error ? f.reason.message : f.reason);
    process.exit(1);
  }
  console.log(`build: done in ${Math.round(performance.now() - started)} ms`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
