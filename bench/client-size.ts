/**
 * Client size: the package's runtime (src/index.ts with openapi-fetch inlined) bundled and
 * minified by esbuild for a neutral (browser/edge) platform, then gzipped, beside openapi-fetch
 * bundled the same way on its own.
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { root } from './children.ts';

export interface SizeRow {
  bundle: 'client' | 'openapi-fetch';
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
  if (existsSync(join(root, 'src/index.ts'))) {
    rows.push({ bundle: 'client', ...(await measure({ file: join(root, 'src/index.ts') })) });
  } else {
    notes.push('the client (src/index.ts) does not exist yet: its size is missing');
  }
  rows.push({ bundle: 'openapi-fetch', ...(await measure({ contents: "export * from 'openapi-fetch'; export { default } from 'openapi-fetch';" })) });
  return { rows, notes };
}
