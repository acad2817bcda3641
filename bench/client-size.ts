/**
 * Client size: the package's runtime (src/index.ts with openapi-fetch inlined) bundled and
 * minified by esbuild for a neutral (browser/edge) platform, then gzipped, beside openapi-fetch
 * bundled the same way on its own. Three cuts of the package: everything it exports; what an app that
 * calls the API imports (every export but the webhook helpers); what a webhook receiver imports (the
 * webhook helpers). The package is `sideEffects: false`, so a bundler keeps only what is imported.
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { root } from './children.ts';

export interface SizeRow {
  /** `entry`: every export; `client`: all but the webhook helpers; `webhooks`: those alone. */
  bundle: 'entry' | 'client' | 'webhooks' | 'openapi-fetch';
  minBytes: number;
  gzipBytes: number;
}

async function measure(entry: { file: string } | { contents: string }): Promise<{ minBytes: number; gzipBytes: number }> {
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.contents, resolveDir: root, loader: 'ts' as const } }),
    absWorkingDir: root,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { minBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

export async function benchClientSize(): Promise<{ rows: SizeRow[]; notes: string[] }> {
  const rows: SizeRow[] = [];
  const notes: string[] = [];
  const entry = join(root, 'src/index.ts');
  if (existsSync(entry)) {
    // The runtime names each module exports, read from the modules themselves.
    const all = Object.keys(await import(pathToFileURL(entry).href));
    const webhooks = new Set(Object.keys(await import(pathToFileURL(join(root, 'src/webhooks.ts')).href)));
    const reexport = (names: string[]) => ({ contents: `export { ${names.join(', ')} } from './src/index.ts';` });
    rows.push({ bundle: 'entry', ...(await measure({ file: entry })) });
    rows.push({ bundle: 'client', ...(await measure(reexport(all.filter((n) => !webhooks.has(n))))) });
    rows.push({ bundle: 'webhooks', ...(await measure(reexport(all.filter((n) => webhooks.has(n))))) });
  } else {
    notes.push('the client (src/index.ts) does not exist yet: its size is missing');
  }
  rows.push({ bundle: 'openapi-fetch', ...(await measure({ contents: "export * from 'openapi-fetch'; export { default } from 'openapi-fetch';" })) });
  return { rows, notes };
}
