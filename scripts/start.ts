/**
 * `npm start`, the main job: build what is stale (the bundled spec, the docs page; via the cached
 * `scripts/build.mjs`), then serve the sandbox mock under `/v2` and the docs page at `/` and
 * `/docs` on the same port (127.0.0.1:4010 unless `--port`/`MOCK_PORT` say otherwise).
 * Flags are the mock's (`npm start -- --help`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main as startMock } from '../src/mock/cli.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const DOCS = `${root}docs-site/index.html`;
const SPEC = `${root}generated/openapi.json`;

function isPlaceholder(script: string | undefined): boolean {
  return !script || /not written yet/.test(script);
}

function run(command: string, args: string[]): boolean {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status === 0;
}

function docsFresh(): boolean {
  return existsSync(DOCS) && statSync(DOCS).mtimeMs >= statSync(SPEC).mtimeMs;
}

function note(reason: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Click Airtime V2 sandbox</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>Click Airtime V2 sandbox</h1>
<p>The sandbox API is running under <a href="/v2"><code>/v2</code></a>; the keys and magic numbers are
printed in the terminal and listed in the README.</p>
<p>The docs page is not available: ${reason}</p>
</body></html>
`;
}

async function main(): Promise<void> {
  const help = process.argv.includes('--help') || process.argv.includes('-h');
  if (!help) {
    // Hash-cached: with nothing changed this only hashes files (tens of ms).
    if (!run(process.execPath, [`${root}scripts/build.mjs`])) {
      console.warn('start: the build reported a failure; serving what exists.');
    }
  }
  if (!existsSync(SPEC)) {
    console.error('start: generated/openapi.json is missing; run `npm run gen` and look at its errors.');
    process.exitCode = 1;
    return;
  }
  const scripts = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).scripts ?? {};
  let docs: { docsFile: string } | { docsFallbackHtml: string };
  if (isPlaceholder(scripts.docs)) {
    docs = { docsFallbackHtml: note('<code>npm run docs</code> is not written yet.') };
  } else {
    if (!help && !docsFresh()) run('npm', ['run', 'docs']);
    docs = existsSync(DOCS)
      ? { docsFile: DOCS }
      : { docsFallbackHtml: note('<code>npm run docs</code> did not produce <code>docs-site/index.html</code>; see the terminal.') };
  }
  const server = await startMock(process.argv.slice(2), docs);
  if (server && 'docsFile' in docs) console.log(`start: docs page from docs-site/index.html at ${server.url}/docs`);
}

await main();
