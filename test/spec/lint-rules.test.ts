import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint, loadConfig } from '@redocly/openapi-core';
import { parse, stringify } from 'yaml';
import { root, type Json } from '../support/spec.ts';

/** A throw-away copy of the spec and its lint config, so mutations never touch openapi/. */
let fixture: string;
beforeAll(async () => {
  fixture = await mkdtemp(join(tmpdir(), 'spec-fixture-'));
});
afterAll(async () => {
  await rm(fixture, { recursive: true, force: true });
});

let copies = 0;
async function mutatedCopy(file: string, mutate: (doc: Json) => void): Promise<string> {
  const dir = join(fixture, String(copies++));
  await cp(join(root, 'openapi'), join(dir, 'openapi'), { recursive: true });
  await cp(join(root, 'scripts/redocly-house-rules.js'), join(dir, 'scripts/redocly-house-rules.js'));
  await cp(join(root, 'redocly.yaml'), join(dir, 'redocly.yaml'));
  const target = join(dir, 'openapi', file);
  const doc = parse(await readFile(target, 'utf8'));
  mutate(doc);
  await writeFile(target, stringify(doc));
  return dir;
}

async function lintRules(dir: string): Promise<string[]> {
  const config = await loadConfig({ configPath: join(dir, 'redocly.yaml') });
  const problems = await lint({ ref: join(dir, 'openapi/openapi.yaml'), config });
  return problems.filter((p) => p.severity === 'error').map((p) => p.ruleId);
}

const PATH_FILES = [
  ['catalog_lookup.yaml', 'get'],
  ['catalog_countries.yaml', 'get'],
  ['catalog_networks.yaml', 'get'],
  ['catalog_products.yaml', 'get'],
  ['topups.yaml', 'post'],
  ['topups.yaml', 'get'],
  ['topups_{id}.yaml', 'get'],
  ['balance.yaml', 'get'],
  ['balance_{wallet_id}.yaml', 'get'],
] as const;

describe('house lint rules', () => {
  it('pass on the spec as it is', async () => {
    const dir = await mutatedCopy('openapi.yaml', () => {});
    expect(await lintRules(dir)).toEqual([]);
  });

  it.each(PATH_FILES)('removing the scope of %s %s fails house/operation-permission', async (file, method) => {
    const dir = await mutatedCopy(`paths/${file}`, (doc) => {
      doc[method].security = [{ bearerAuth: [] }];
    });
    expect(await lintRules(dir)).toContain('house/operation-permission');
  });

  it.each(PATH_FILES)('deleting the 401 of %s %s fails house/shared-error-responses', async (file, method) => {
    const dir = await mutatedCopy(`paths/${file}`, (doc) => {
      delete doc[method].responses['401'];
    });
    expect(await lintRules(dir)).toContain('house/shared-error-responses');
  });

  it('two scopes on one operation fail house/operation-permission', async () => {
    const dir = await mutatedCopy('paths/balance.yaml', (doc) => {
      doc.get.security = [{ bearerAuth: ['wallets.read', 'airtime.read'] }];
    });
    expect(await lintRules(dir)).toContain('house/operation-permission');
  });

  it('an x-permission that disagrees with the scope fails house/permission-extension-matches', async () => {
    const dir = await mutatedCopy('paths/balance.yaml', (doc) => {
      doc.get['x-permission'] = 'airtime.read';
    });
    expect(await lintRules(dir)).toContain('house/permission-extension-matches');
  });

  it('an inline 429 instead of the shared response fails house/shared-error-responses', async () => {
    const dir = await mutatedCopy('paths/balance.yaml', (doc) => {
      doc.get.responses['429'] = { description: 'Slow down.' };
    });
    expect(await lintRules(dir)).toContain('house/shared-error-responses');
  });

  it('an operationId outside list/get/create/lookup fails house/operation-id-naming', async () => {
    const dir = await mutatedCopy('paths/balance.yaml', (doc) => {
      doc.get.operationId = 'fetchBalance';
    });
    expect(await lintRules(dir)).toContain('house/operation-id-naming');
  });

  it('a schema property without an example fails house/property-example', async () => {
    const dir = await mutatedCopy('components/schemas/Wallet.yaml', (doc) => {
      delete doc.properties.balance.example;
    });
    expect(await lintRules(dir)).toContain('house/property-example');
  });

  it('npm run lint:spec (the Redocly CLI) exits non-zero when a 401 is deleted', async () => {
    const dir = await mutatedCopy('paths/balance.yaml', (doc) => {
      delete doc.get.responses['401'];
    });
    const cli = join(root, 'node_modules/.bin/redocly');
    const run = promisify(execFile)(cli, ['lint', '--format=stylish'], { cwd: dir, env: { ...process.env, SCARF_ANALYTICS: 'false' } });
    await expect(run).rejects.toMatchObject({ stdout: expect.stringContaining('house/shared-error-responses') });
  });
});
