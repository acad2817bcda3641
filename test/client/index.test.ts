import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as pkg from '../../src/index.ts';
import { root } from '../support/spec.ts';

/** src/index.ts bundled as an app would ship it: minified, openapi-fetch included, for no platform in particular. */
async function bundle(entry: string): Promise<{ min: number; gz: number }> {
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    // `neutral` resolves no Node built-in: an import of node:* (or a Node-only package) fails the build.
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length };
}

describe('the package entry', () => {
  it('names its runtime exports explicitly', () => {
    expect(Object.keys(pkg).sort()).toEqual(
      [
        'API_KEY_PATTERN',
        'AuthenticationError',
        'ClickAirtimeError',
        'DEFAULTS',
        'DuplicateTransactionError',
        'InvalidRequestError',
        'NetworkError',
        'NotFoundError',
        'PermissionError',
        'RateLimitError',
        'ServerError',
        'TimeoutError',
        'WebhookVerificationError',
        'createClickAirtimeClient',
        'isClickAirtimeError',
        'isWebhookVerificationError',
        'redactApiKey',
        'signWebhook',
        'verifyWebhook',
      ].sort(),
    );
  });

  it('bundles without any Node built-in and stays small (min+gz, openapi-fetch included)', async () => {
    const all = await bundle(`export * from './src/index.ts';`);
    const clientOnly = await bundle(`export { createClickAirtimeClient } from './src/index.ts';`);
    // Measured 6.96 kB and 6.04 kB (with the grouped attempt deadlines and real Requests for middleware); the
    // budget leaves a little room, not a lot.
    expect(all.gz).toBeLessThan(7_150);
    expect(clientOnly.gz).toBeLessThan(6_250);
  });
});
