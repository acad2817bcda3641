import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../support/spec.ts';

// `npm run build` in a copy of the project (its own build cache, the real packages linked in).
//
// scripts/build.sh exits at once when the manifest the last successful `node scripts/build.mjs`
// wrote still matches every input and output, and runs build.mjs otherwise: checked with a
// stand-in `node` on the PATH that only says it was called, so each case costs a shell run.
//
// The client step writes dist/ without tsc's type-check (TypeScript's single-file emitters, or the
// program with noCheck where those don't apply): checked against what tsc itself writes.

let dir: string;
let fakeBin: string;
const manifest = () => join(dir, 'node_modules/.cache/clickairtime-build/fast-path');

function sh(args: string[] = [], options: { realNode?: boolean } = {}) {
  const PATH = options.realNode ? process.env.PATH : `${fakeBin}:${process.env.PATH}`;
  const result = spawnSync('sh', ['scripts/build.sh', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH }, timeout: 170_000 });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

/** What `sh scripts/build.sh` did: took the fast path, or started node (the stand-in). */
function outcome(args: string[] = []): 'fast path' | 'node' | string {
  const { status, out } = sh(args);
  if (status === 0 && /^build: up to date/m.test(out) && !out.includes('FAKE-NODE')) return 'fast path';
  if (out.includes('FAKE-NODE scripts/build.mjs')) return 'node';
  return `unexpected (exit ${status}): ${out}`;
}

/** Runs `change`, checks what the fast path does, then undoes it and checks it is skipped again. */
function expectRebuildOn(change: () => () => void): void {
  const undo = change();
  try {
    expect(outcome()).toBe('node');
  } finally {
    undo();
  }
  expect(outcome()).toBe('fast path');
}

function editFile(file: string, extra: string) {
  return () => {
    const path = join(dir, file);
    const before = readFileSync(path);
    appendFileSync(path, extra);
    return () => writeFileSync(path, before);
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clickairtime-build-'));
  const skip = new Set(['node_modules', '.git', 'dist', 'test', 'test-results', 'bench']);
  for (const name of readdirSync(root)) if (!skip.has(name)) cpSync(join(root, name), join(dir, name), { recursive: true });
  // The real packages, but not the real build cache.
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name !== '.cache') symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name));
  }
  fakeBin = join(dir, '.fake-bin');
  mkdirSync(fakeBin);
  writeFileSync(join(fakeBin, 'node'), '#!/bin/sh\necho "FAKE-NODE $*"\n');
  chmodSync(join(fakeBin, 'node'), 0o755);
  const first = sh([], { realNode: true });
  if (first.status !== 0) throw new Error(`the first build failed:\n${first.out}`);
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run build (scripts/build.sh)', () => {
  it('skips node when nothing changed since the last build', () => {
    expect(existsSync(manifest())).toBe(true);
    expect(outcome()).toBe('fast path');
  });

  it('runs the build when an input changes', () => {
    expectRebuildOn(editFile('openapi/openapi.yaml', '\n# edited\n'));
    expectRebuildOn(editFile('src/index.ts', '\n// edited\n'));
    expectRebuildOn(editFile('scripts/samples/curl.ts', '\n// edited\n'));
    expectRebuildOn(editFile('tsconfig.build.json', ' '));
  });

  it('runs the build when package.json or package-lock.json changes', () => {
    expectRebuildOn(editFile('package-lock.json', '\n'));
    expectRebuildOn(editFile('package.json', '\n'));
  });

  it('runs the build when an input file is added or removed', () => {
    expectRebuildOn(() => {
      writeFileSync(join(dir, 'src/added.ts'), 'export {};\n');
      return () => rmSync(join(dir, 'src/added.ts'));
    });
    expectRebuildOn(() => {
      const path = join(dir, 'openapi/openapi.yaml');
      const before = readFileSync(path);
      rmSync(path);
      return () => writeFileSync(path, before);
    });
  });

  it('runs the build when an output is changed or deleted', () => {
    expectRebuildOn(editFile('dist/src/index.js', '\n'));
    expectRebuildOn(editFile('generated/schema.d.ts', '\n'));
    for (const file of ['dist/src/index.d.ts', 'docs-site/index.html', 'generated/openapi.json']) {
      expectRebuildOn(() => {
        const path = join(dir, file);
        const before = readFileSync(path);
        rmSync(path);
        return () => writeFileSync(path, before);
      });
    }
  });

  it('passes arguments (--force) to the real build', () => {
    expect(outcome(['--force'])).toBe('node');
  });

  it('runs the build when there is no manifest, and a successful build writes it again', () => {
    const saved = readFileSync(manifest());
    rmSync(manifest());
    expect(outcome()).toBe('node');
    writeFileSync(manifest(), saved);
    expect(outcome()).toBe('fast path');
  });

  it('after a real rebuild the fast path agrees with build.mjs again; a failed build leaves no manifest', () => {
    const undo = editFile('src/index.ts', '\nexport const addedByTheTest = 1;\n')();
    try {
      const rebuilt = sh([], { realNode: true });
      expect(rebuilt.status, rebuilt.out).toBe(0);
      expect(rebuilt.out).toMatch(/build: client: src\/ → dist\//);
      expect(readFileSync(join(dir, 'dist/src/index.d.ts'), 'utf8')).toContain('addedByTheTest');
      expect(outcome()).toBe('fast path');

      appendFileSync(join(dir, 'src/index.ts'), '\nexport const syntaxError = ;\n');
      const failed = sh([], { realNode: true });
      expect(failed.status).not.toBe(0);
      expect(existsSync(manifest())).toBe(false);
      expect(outcome()).toBe('node');
    } finally {
      undo();
    }
    const back = sh([], { realNode: true });
    expect(back.status, back.out).toBe(0);
    expect(outcome()).toBe('fast path');
  }, 120_000);
});

/** Every file under `sub`, relative to it, with its contents. */
function tree(sub: string): Map<string, string> {
  const base = join(dir, sub);
  const files = readdirSync(base, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
  return new Map(files.map((d) => [join(d.parentPath, d.name).slice(base.length + 1), readFileSync(join(d.parentPath, d.name), 'utf8')]));
}

/** What `npm run build:client` (tsc with its type-check) writes, in dist-tsc/ instead of dist/. */
function tscOutput(): Map<string, string> {
  rmSync(join(dir, 'dist-tsc'), { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', 'dist-tsc'], { cwd: dir, encoding: 'utf8' });
  expect(tsc.status, tsc.stdout).toBe(0);
  cpSync(join(dir, 'generated/schema.d.ts'), join(dir, 'dist-tsc/generated/schema.d.ts'));
  return tree('dist-tsc');
}

describe('the client step of npm run build', () => {
  it('writes the same dist/ files as tsc -p tsconfig.build.json', () => {
    const built = sh(['--force'], { realNode: true });
    expect(built.status, built.out).toBe(0);
    expect(built.out).toMatch(/client: .*transpiled file by file/);
    const dist = tree('dist');
    expect(dist.size).toBeGreaterThan(10);
    expect(dist).toEqual(tscOutput());
  }, 120_000);

  it('where a declaration needs the type-checker, falls back to the whole program and still writes what tsc writes', () => {
    const undo = editFile('src/index.ts', '\nexport const inferred = [1, 2].map((n) => ({ n, s: String(n) }));\n')();
    try {
      const built = sh([], { realNode: true });
      expect(built.status, built.out).toBe(0);
      expect(built.out).toMatch(/client: .*noCheck/);
      expect(readFileSync(join(dir, 'dist/src/index.d.ts'), 'utf8')).toContain('inferred: {');
      expect(tree('dist')).toEqual(tscOutput());
    } finally {
      undo();
    }
  }, 120_000);

  it('leaves type errors to lint:ts, and reports them with --typecheck', () => {
    const undo = editFile('src/index.ts', '\nexport const typeError: number = "not a number" as string as never as number;\nconst wrong: number = "x";\n')();
    try {
      const unchecked = sh([], { realNode: true });
      expect(unchecked.status, unchecked.out).toBe(0);
      expect(unchecked.out).toMatch(/client: .*no type-check/);
      const checked = sh(['--typecheck'], { realNode: true });
      expect(checked.status).not.toBe(0);
      expect(checked.out).toMatch(/TS2322/);
    } finally {
      undo();
    }
    const back = sh([], { realNode: true });
    expect(back.status, back.out).toBe(0);
    // A type-checked build will do for a plain one, not the other way round.
    const checked = sh(['--typecheck'], { realNode: true });
    expect(checked.out).toMatch(/client: .*type-checked/);
    expect(sh(['--typecheck'], { realNode: true }).out).toMatch(/client: up to date/);
    expect(sh(['--force', '--typecheck'], { realNode: true }).out).toMatch(/client: .*type-checked/);
    const plain = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(plain.stdout).toMatch(/client: up to date/);
  }, 120_000);
});
