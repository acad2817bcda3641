#!/usr/bin/env node
/**
 * `npm run build:mock` (run by `prepack`): the sandbox mock as plain JavaScript for the published package, so
 * its `clickairtime-mock` bin runs without tsx or the TypeScript sources.
 *
 * src/mock/cli.ts and its local imports become one ESM file, dist/mock/cli.js; packages stay imports (Prism and
 * Ajv are the package's optional peer dependencies). The committed sandbox keys are copied beside it, and the
 * bundled spec ships as generated/openapi.json, where the mock looks for both (relative to its own file).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/mock');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, 'src/mock/cli.ts')],
  outfile: join(out, 'cli.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(join(root, 'src/mock/sandbox-keys.json'), join(out, 'sandbox-keys.json'));
console.log('build:mock: dist/mock/cli.js, dist/mock/sandbox-keys.json');
