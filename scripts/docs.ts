/**
 * Builds the docs page, docs-site/index.html: one self-contained file made by Redocly's
 * `build-docs` (Redoc inlined with --inlineBundle) from generated/openapi.json, whose
 * `x-codeSamples` come from scripts/samples/. Shaped by docs-site/redocly.yaml and
 * docs-site/template.hbs. The page fetches nothing: the remote resources Redoc's bundle names
 * are replaced with inline ones, and the build fails if any other is referenced.
 *
 *   tsx scripts/docs.ts   (npm run docs, after npm run gen)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DOCS_PAGE = join(root, 'docs-site/index.html');

const svg = (body: string, width: number) =>
  `data:image/svg+xml,${encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="16" viewBox="0 0 ${width} 16">${body}</svg>`,
  )}`;
const text = (s: string, x: number) =>
  `<text x="${x}" y="12.5" font-family="system-ui,sans-serif" font-size="12" font-weight="600" fill="#0044D4">${s}</text>`;

/**
 * Remote resources in Redoc's bundle → inline stand-ins. The logos are always shown; the icon
 * packs are only used for icons a page names (this one names none), so they become empty
 * `data:` URLs: nothing can reach the CDN even if one were named.
 */
const INLINE_RESOURCES: Record<string, string> = {
  'https://cdn.redoc.ly/redoc/logo-mini-full.svg': svg(text('Redoc', 2), 42),
  'https://cdn.redoc.ly/redoc/logo-mini.svg': svg(text('R', 3), 16),
  'https://cdn.redocly.com/icons/fa/7.0.0': 'data:,',
  'https://cdn.redocly.com/icons/code/5.24.0': 'data:,',
};

/**
 * Places in the page where an http(s) URL would be fetched by the browser: script, stylesheet,
 * image, frame, media and preload sources, CSS `url()` and `@import`, and the CDN hosts Redoc
 * and web fonts come from (they sit in string literals a pattern can't see as attributes).
 */
const FETCHED_URL_PATTERNS: RegExp[] = [
  /<(?:script|img|iframe|source|video|audio|embed|track|input)\b[^>]*\bsrc\s*=\s*["']?https?:/gi,
  /<link\b[^>]*\bhref\s*=\s*["']?https?:/gi,
  /\burl\(\s*["']?https?:/gi,
  /@import\s+(?:url\()?\s*["']?https?:/gi,
  /\bimport\s*\(?\s*["'`]https?:/gi,
  /https?:\/\/(?:cdn\.redoc\.ly|cdn\.redocly\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|unpkg\.com|cdn\.jsdelivr\.net)\b[^"'`\s)]*/gi,
];

/** Every reference in `html` that would make a browser fetch from the network. */
export function remoteFetches(html: string): string[] {
  return FETCHED_URL_PATTERNS.flatMap((re) => [...html.matchAll(re)].map((m) => m[0].slice(0, 160)));
}

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, SCARF_ANALYTICS: 'false', REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Builds docs-site/index.html and returns its size and the time taken. */
export async function buildDocs(): Promise<{ file: string; bytes: number; ms: number }> {
  const started = performance.now();
  const cli = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');
  const dir = await mkdtemp(join(tmpdir(), 'clickairtime-docs-'));
  try {
    const out = join(dir, 'index.html');
    const { code, output } = await run(process.execPath, [
      cli,
      'build-docs',
      'generated/openapi.json',
      '--config=docs-site/redocly.yaml',
      '--template=docs-site/template.hbs',
      '--inlineBundle',
      '--title=Click Airtime V2 API',
      `--output=${out}`,
    ]);
    if (code !== 0) throw new Error(`redocly build-docs failed (exit ${code}):\n${output}`);
    let html = await readFile(out, 'utf8');
    for (const [url, inline] of Object.entries(INLINE_RESOURCES)) html = html.split(url).join(inline);
    const remote = remoteFetches(html);
    if (remote.length > 0) {
      throw new Error(`the page would fetch from the network (not self-contained):\n${remote.map((r) => `- ${r}`).join('\n')}`);
    }
    // Written aside and renamed, so a server reading the page never sees half of it.
    const next = `${DOCS_PAGE}.${process.pid}.tmp`;
    await writeFile(next, html);
    await rename(next, DOCS_PAGE);
    return { file: DOCS_PAGE, bytes: Buffer.byteLength(html), ms: Math.round(performance.now() - started) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { file, bytes, ms } = await buildDocs();
  console.log(`docs: wrote ${relative(root, file)} (${(bytes / 1024).toFixed(0)} KiB, self-contained) in ${ms} ms`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
