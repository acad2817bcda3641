import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockBin } from '../support/mock-bin.ts';
import { root } from '../support/spec.ts';

// Packs the package as npm would publish it, installs the tarball into a fresh project and uses it from there:
// plain ESM JavaScript at run time, and TypeScript against the published .d.ts files.

let dir: string;
let project: string;
const run = (file: string, args: string[], cwd: string) =>
  execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clickairtime-pack-'));
  // `prepack` builds dist/ (the client, and the mock's plain-JavaScript bundle) first.
  run('npm', ['pack', '--pack-destination', dir, '--silent'], root);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack made no tarball');
  project = join(dir, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', join(dir, tarball), '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], project);
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('imports from plain ESM and calls the API through an injected fetch', () => {
    writeFileSync(
      join(project, 'use.mjs'),
      `import { createClickAirtimeClient, signWebhook, verifyWebhook, RateLimitError } from 'clickairtime-v2';
const key = 'ce_live_' + 'x'.repeat(32);
const seen = [];
const client = createClickAirtimeClient({
  apiKey: key,
  baseUrl: 'http://127.0.0.1:9/v2',
  fetch: async (request) => {
    seen.push(request.method + ' ' + request.url + ' ' + request.headers.get('authorization'));
    return Response.json({ success: true, data: { available_balance: { amount: 12.5, currency: 'USD' }, wallets: [] },
      meta: { request_id: 'req_aaaaaaaaaaaa', timestamp: '2026-03-14T09:26:53.589Z' } });
  },
});
const { data, meta } = await client.balance.get();
const rawBody = '{"id":"x","status":"completed"}';
const headers = await signWebhook({ rawBody, apiKey: key, event: 'topup.completed' });
const event = await verifyWebhook({ rawBody, headers, apiKey: key });
console.log(JSON.stringify({ data, requestId: meta.request_id, seen, event, client: String(client), errorClass: typeof RateLimitError }));
`,
    );
    const out = JSON.parse(run('node', ['use.mjs'], project));
    expect(out).toEqual({
      data: { available_balance: { amount: 12.5, currency: 'USD' }, wallets: [] },
      requestId: 'req_aaaaaaaaaaaa',
      seen: [`GET http://127.0.0.1:9/v2/balance Bearer ce_live_${'x'.repeat(32)}`],
      event: { type: 'topup.completed', data: { id: 'x', status: 'completed' } },
      client: 'ClickAirtimeClient {"baseUrl":"http://127.0.0.1:9/v2","apiKey":"ce_live_****xxxx"}',
      errorClass: 'function',
    });
  });

  it('type-checks a TypeScript consumer against the published declarations, wrong calls included', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          types: [],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['use.ts'],
      }),
    );
    writeFileSync(
      join(project, 'use.ts'),
      `import { createClickAirtimeClient, type components } from 'clickairtime-v2';
const client = createClickAirtimeClient({ apiKey: 'ce_live_' + 'x'.repeat(32) });
export async function send(): Promise<components['schemas']['Topup']> {
  const { data } = await client.topups.create({ phone_number: '+233541112259', network_id: 22, product_id: '101' });
  // @ts-expect-error network_id is a number
  await client.topups.create({ phone_number: '+233541112259', network_id: '22', product_id: '101' });
  // @ts-expect-error there is no /wallets path
  await client.raw.GET('/wallets');
  return data;
}
`,
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    expect(() => run('node', [tsc, '-p', 'tsconfig.json'], project)).not.toThrow();
  });
});

describe('the packed clickairtime-mock bin', () => {
  const bin = () => join(project, 'node_modules/.bin/clickairtime-mock');
  const peers = () => {
    const { peerDependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
    return Object.entries(peerDependencies).map(([name, version]) => `${name}@${version}`);
  };

  it('names the optional peer dependencies it needs when they are missing', () => {
    const result = spawnSync(bin(), ['--port', '0'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`The mock server needs: npm install ${peers().join(' ')}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs from the tarball once they are installed: plain JavaScript, the shipped spec and sandbox keys', async () => {
    run('npm', ['install', ...peers(), '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], project);
    const { base, key, stop } = await startMockBin(bin(), [], project);
    try {
      expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
      const reply = await fetch(`${base}/balance`, { headers: { Authorization: `Bearer ${key}` } });
      expect(reply.status).toBe(200);
      expect(((await reply.json()) as { success: boolean }).success).toBe(true);
      const denied = await fetch(`${base}/balance`);
      expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('INVALID_API_KEY');
    } finally {
      stop();
    }
  }, 180_000);
});
