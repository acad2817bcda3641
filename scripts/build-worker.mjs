/**
 * The TypeScript side of `npm run build`, in a process of its own that scripts/build.mjs forks at
 * the start. TypeScript (9 MB of JavaScript, about a quarter of a second to load) is loaded once
 * here for both jobs that need it, on the second core, while the main process bundles the spec:
 *
 * - `client`: what `npm run build:client` does (`tsc -p tsconfig.build.json`, then the copy of
 *   generated/schema.d.ts into dist/), writing the same files, but by default without tsc's
 *   type-check: file by file with TypeScript's single-file emitters ({@link transpileClient}), or,
 *   where those don't apply, the whole program with `noCheck` (TypeScript's own "emit without
 *   type-checking"). Type errors are then left to `npm run lint:ts`; syntax errors still fail.
 *   With `check: true` it is tsc through the compiler API, type-check included.
 * - `types`: openapi-typescript on the bundled spec, returned as text (what gen.ts makes of it with
 *   astToString).
 *
 * Messages: { id, job, args } in, { id, ok, value | error } out. Exits when the parent disconnects.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
// require(), not import: see lazyOpenapiTypescript in build.mjs (import of a big CommonJS module
// first lexes it for its export names).
const ts = require('typescript');

/** The rest of build:client: `&& node -e "require('node:fs').cpSync('generated/schema.d.ts', 'dist/generated/schema.d.ts')"`. */
function copySchema() {
  cpSync(join(root, 'generated/schema.d.ts'), join(root, 'dist/generated/schema.d.ts'));
}

function format(diagnostics) {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  });
}

function parseConfig(extra) {
  return ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.build.json'), extra, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(format([d]));
    },
  });
}

/** Options under which a file-by-file emit could differ from the program's: those go to the program. */
const PROGRAM_ONLY_OPTIONS = ['outFile', 'composite', 'incremental', 'emitDeclarationOnly', 'declarationMap', 'sourceMap', 'inlineSourceMap', 'allowJs', 'checkJs', 'noEmit', 'emitDecoratorMetadata', 'jsx', 'plugins'];

/**
 * The client without a type-checker: each file of the program (tsconfig.build.json's files and
 * the local files they import) made into JavaScript with transpileModule and into declarations
 * with transpileDeclaration, TypeScript's own single-file emitters. The project is set up for them
 * (isolatedModules and verbatimModuleSyntax: a file's JavaScript never needs another file); a
 * declaration file is written only when the file needs no inference (isolatedDeclarations style),
 * when it is the one tsc writes. Anything else (a diagnostic, a CommonJS or JavaScript file, an
 * option these emitters don't cover) returns null, and the program does it instead.
 */
function transpileClient() {
  const parsed = parseConfig({});
  const { options } = parsed;
  if (parsed.errors.length > 0 || !options.outDir || !options.rootDir || !options.declaration || !options.isolatedModules || !options.verbatimModuleSyntax) return null;
  if (PROGRAM_ONLY_OPTIONS.some((name) => options[name])) return null;
  const fileOptions = { ...options, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
  const outputs = new Map();
  const queue = [...parsed.fileNames];
  const seen = new Set();
  while (queue.length > 0) {
    const file = resolve(queue.pop());
    if (seen.has(file)) continue;
    seen.add(file);
    if (file.endsWith('.d.ts')) continue;
    if (!file.endsWith('.ts') || file.includes('/node_modules/') || relative(root, file).startsWith('..')) return null;
    if (ts.getImpliedNodeFormatForFile(file, undefined, ts.sys, options) !== ts.ModuleKind.ESNext) return null;
    const source = readFileSync(file, 'utf8');
    const info = ts.preProcessFile(source, true, true);
    for (const ref of info.referencedFiles) queue.push(resolve(dirname(file), ref.fileName));
    if (info.typeReferenceDirectives.length > 0 || info.libReferenceDirectives.length > 0) return null;
    for (const imported of info.importedFiles) {
      const { resolvedModule } = ts.resolveModuleName(imported.fileName, file, options, ts.sys, undefined, undefined, ts.ModuleKind.ESNext);
      if (!resolvedModule) return null;
      if (!resolvedModule.isExternalLibraryImport) queue.push(resolvedModule.resolvedFileName);
    }
    const transpileOptions = { compilerOptions: fileOptions, fileName: file, reportDiagnostics: true };
    const js = ts.transpileModule(source, transpileOptions);
    const dts = ts.transpileDeclaration(source, transpileOptions);
    if (js.diagnostics.length > 0 || dts.diagnostics.length > 0) return null;
    const out = join(options.outDir, relative(options.rootDir, file)).replace(/\.ts$/, '');
    outputs.set(`${out}.js`, js.outputText);
    outputs.set(`${out}.d.ts`, dts.outputText);
  }
  for (const [file, text] of outputs) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return outputs.size;
}

const jobs = {
  async client({ check }) {
    const files = check ? null : transpileClient();
    if (files !== null) {
      copySchema();
      return { how: 'transpiled file by file (no type-check)', files };
    }
    const parsed = parseConfig(check ? {} : { noCheck: true });
    const program = ts.createProgram({
      rootNames: parsed.fileNames,
      options: parsed.options,
      projectReferences: parsed.projectReferences,
      configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
    });
    // A `types` job sent meanwhile runs here, between the phases, rather than after all of them.
    await new Promise((resolve) => setImmediate(resolve));
    // As tsc does it (emitFilesAndReportErrors): syntax, options, global and semantic diagnostics
    // (semantic only with no error so far), then emit, which writes even when there are errors.
    const diagnostics = [...program.getConfigFileParsingDiagnostics()];
    const configErrors = diagnostics.length;
    diagnostics.push(...program.getSyntacticDiagnostics());
    if (diagnostics.length === configErrors) {
      diagnostics.push(...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics());
      if (diagnostics.length === configErrors) diagnostics.push(...program.getSemanticDiagnostics());
    }
    await new Promise((resolve) => setImmediate(resolve));
    const emitted = program.emit();
    diagnostics.push(...emitted.diagnostics);
    const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) throw new Error(`tsc -p tsconfig.build.json${check ? '' : ' --noCheck'} failed:\n${format(errors)}`);
    copySchema();
    return { how: check ? 'compiled and type-checked' : 'compiled with noCheck (no type-check)' };
  },

  async types({ spec, options }) {
    const ots = require('openapi-typescript');
    return ots.astToString(await ots.default(spec, options));
  },
};

process.on('message', async ({ id, job, args }) => {
  try {
    process.send({ id, ok: true, value: await jobs[job](args) });
  } catch (err) {
    process.send({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
process.on('disconnect', () => process.exit(0));
