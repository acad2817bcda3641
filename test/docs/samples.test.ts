/**
 * The code-sample generator (scripts/samples/): what it reads from the spec, and the samples run
 * for real (bash + curl, node, python3 + requests, php + curl, tsx + this client) against a
 * local recording server, on the awkward inputs where snippet generators go wrong.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeSamples, sampleRequest, SAMPLE_LANGUAGES, withCodeSamples } from '../../scripts/samples/index.ts';
import { heredoc, jsLiteral, phpLiteral, phpString, pyLiteral } from '../../scripts/samples/literals.ts';
import { encodeStrict } from '../../scripts/samples/request.ts';
import { clientMethod } from '../../scripts/samples/typescript.ts';
import { createClickAirtimeClient } from '../../src/index.ts';
import { operations, root, spec, type Json } from '../support/spec.ts';
import { pool, runSample, SAMPLE_LABELS, startRecorder, type Label, type Recorder } from './support/run-sample.ts';

const KEY = `ce_live_${'A1'.repeat(16)}`;
const PLACEHOLDER = `ce_live_${'x'.repeat(32)}`;

/** The escaping case of the snippet-generator notes, and a few more: built with JSON.parse so `__proto__` is a plain key. */
const AWKWARD_JSON = String.raw`{
  "phone_number": "+233541112259",
  "network_id": 22,
  "text": "back\\slash $HOME ${"$"}{x} \u0060whoami\u0060 $(id) 'single' \"double\" ünïcödé 日本 🚀 \u2028 tab\tnew\nline\r nul\u0000 esc\u001b del\u007f",
  "empty_object": {},
  "empty_array": [],
  "nothing": null,
  "no": false,
  "yes": true,
  "numbers": [0, -1, 2.5, 1e21, 123456789012],
  "nested": {"list": [{}, [], [null]], "key with spaces": "v", "__proto__": "proto", "it's": "quote key", "$dollar": "\u0060tick\u0060"},
  "list_like": {"0": "a", "1": "b"},
  "JSON": "JSON"
}`;
const AWKWARD: unknown = JSON.parse(AWKWARD_JSON);
const canonical = (text: string) => JSON.stringify(JSON.parse(text));

/** The spec without the committed samples, for regenerating variants of it. */
function bareSpec(): Json {
  const copy = structuredClone(spec);
  for (const { path, method } of operations()) delete copy.paths[path][method]['x-codeSamples'];
  return copy;
}

/** The bundled spec with createTopup's first request example replaced. */
function specWithTopupBody(body: unknown): Json {
  const copy = bareSpec();
  const examples = copy.paths['/topups'].post.requestBody.content['application/json'].examples;
  const first = Object.keys(examples)[0]!;
  examples[first] = { summary: 'awkward', value: body };
  return copy;
}

/** An operation exercising path, array and scalar query, and header escaping. */
const ECHO_PARAMS = {
  id: 'a b/ü+$`\'"{}',
  q: '+233 & = ? # % $ ` \' " ü',
  tags: ['a+b', 'c d', 'é'],
  note: 'it\'s $HOME `x` "q" \\',
};
function echoSpec(): Json {
  return {
    openapi: '3.1.0',
    servers: [{ url: 'https://api.example.test/v2' }],
    paths: {
      '/echo/{id}/x': {
        post: {
          operationId: 'createEcho',
          tags: ['Echo'],
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: ECHO_PARAMS.id },
            { name: 'q', in: 'query', schema: { type: 'string' }, example: ECHO_PARAMS.q },
            { name: 'tags', in: 'query', schema: { type: 'array', items: { type: 'string' } }, example: ECHO_PARAMS.tags },
            { name: 'n', in: 'query', schema: { type: 'integer' }, example: 22 },
            { name: 'flag', in: 'query', schema: { type: 'boolean' }, example: false },
            { name: 'page', in: 'query', schema: { type: 'integer', default: 1 }, example: 1 },
            { name: 'X-Note', in: 'header', schema: { type: 'string' }, example: ECHO_PARAMS.note },
            { name: 'Idempotency-Key', in: 'header', schema: { type: 'string' }, example: 'documented-key' },
          ],
          requestBody: { content: { 'application/json': { examples: { awkward: { value: AWKWARD } } } } },
          responses: { '201': { description: 'created' } },
        },
      },
    },
  };
}

const sampleOf = (samples: { label: string; source: string }[], label: Label) => samples.find((s) => s.label === label)!.source;

describe('the samples in the generated spec', () => {
  it.each(operations().map((o) => [o.operation.operationId, o] as const))(
    '%s carries five samples: curl, JavaScript, Python, PHP, TypeScript, in that order',
    (_id, { operation }) => {
      expect(operation['x-codeSamples'].map((s: Json) => s.label)).toEqual([...SAMPLE_LABELS]);
      expect(SAMPLE_LANGUAGES.map((l) => l.label)).toEqual([...SAMPLE_LABELS]);
    },
  );

  it.each(operations().map((o) => [o.operation.operationId, o] as const))(
    '%s samples read the key and base URL from the environment and show only the placeholder key',
    (_id, { operation }) => {
      for (const { label, source } of operation['x-codeSamples'] as { label: string; source: string }[]) {
        expect(source, label).toContain('CLICKAIRTIME_API_KEY');
        expect(source, label).toContain('CLICKAIRTIME_BASE_URL');
        expect(source, label).toContain('https://api.clickairtime.com/v2');
        expect(source, label).toContain(PLACEHOLDER);
        const keys = source.match(/ce_live_[A-Za-z0-9]{32}/g) ?? [];
        expect(keys.every((k) => k === PLACEHOLDER), label).toBe(true);
        // The placeholder sits in a comment line only, never in code that runs.
        const codeLines = source.split('\n').filter((l) => l.includes(PLACEHOLDER) && !/^\s*(#|\/\/)/.test(l));
        expect(codeLines, label).toEqual([]);
      }
    },
  );

  it('are what the generator makes from the spec now (nothing edited by hand)', () => {
    expect(withCodeSamples(bareSpec())).toEqual(spec);
  });
});

describe('the documented example request', () => {
  const op = (path: string, method: string) => sampleRequest(spec, method, path, spec.paths[path][method]);

  it('takes query examples, with the plus of a phone number sent as %2B', () => {
    const req = op('/catalog/lookup', 'get');
    expect(req.query).toEqual([
      { name: 'phone_number', values: ['+233541112259'], array: false, example: '+233541112259' },
      { name: 'network_id', values: ['22'], array: false, example: 22 },
    ]);
    const samples = codeSamples(spec, 'get', '/catalog/lookup', spec.paths['/catalog/lookup'].get);
    expect(sampleOf(samples, 'curl')).toContain('/catalog/lookup?phone_number=%2B233541112259&network_id=22');
  });

  it('leaves out optional query parameters whose example is just the default', () => {
    const names = op('/topups', 'get').query.map((q) => q.name);
    expect(names).not.toContain('page');
    expect(names).not.toContain('per_page');
    expect(names).not.toContain('sort');
    expect(names).toEqual(expect.arrayContaining(['status', 'reference']));
  });

  it('fills path parameters from their examples', () => {
    expect(op('/balance/{wallet_id}', 'get').path).toBe('/balance/wal_ghs_001');
    expect(op('/topups/{id}', 'get').pathParams).toEqual([{ name: 'id', value: '3f9c2b1e-7a4d-4e8f-9b2a-6c5d4e3f2a1b' }]);
  });

  it('takes the body from the first named request example, and a fresh Idempotency-Key for createTopup', () => {
    const req = op('/topups', 'post');
    const examples = spec.paths['/topups'].post.requestBody.content['application/json'].examples;
    const first = Object.values(examples)[0] as Json;
    expect(req.body).toEqual(spec.components.examples[first.$ref.split('/').pop()].value);
    expect(req.headers).toEqual([expect.objectContaining({ name: 'Idempotency-Key', fresh: true })]);
    expect(req.successStatus).toBe(201);
  });

  it('fails loudly when a parameter has no example', () => {
    const broken = echoSpec();
    delete broken.paths['/echo/{id}/x'].post.parameters[0].example;
    expect(() => withCodeSamples(broken)).toThrow(/createEcho: parameter id has no example/);
  });
});

describe('literals', () => {
  it.each([
    ['an empty object', {}, 'new stdClass()'],
    ['an object whose keys look like a list', { '0': 'a' }, "(object) [\n    '0' => 'a',\n]"],
    ['an empty array', [], '[]'],
    ['a string with a quote and a backslash', "it's \\", "'it\\'s \\\\'"],
    ['a string with a newline and a dollar', 'a\n$b', '"a\\n\\$b"'],
  ])('PHP writes %s so json_encode gives it back', (_name, value, php) => {
    expect(typeof value === 'string' ? phpString(value) : phpLiteral(value)).toBe(php);
  });

  it.each([
    ['a JavaScript', jsLiteral],
    ['a Python', pyLiteral],
  ])('%s literal of `__proto__`, `null` and `false` keeps them as data', (_name, literal) => {
    const source = literal(JSON.parse('{"__proto__": null, "f": false}'));
    expect(source).toMatch(/__proto__/);
    expect(source).toMatch(/null|None/);
    expect(source).toMatch(/false|False/);
  });

  it('the JavaScript literal evaluates to the same value', () => {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const value = new Function(`return ${jsLiteral(AWKWARD)};`)();
    expect(JSON.stringify(value)).toBe(JSON.stringify(AWKWARD));
  });

  it('a here-document picks a delimiter no body line can match', () => {
    expect(heredoc('{\n  "a": 1\n}').end).toBe('JSON');
    expect(heredoc('x\nJSON\ny').end).toBe('JSON_2');
  });

  it("percent-encodes everything but RFC 3986's unreserved characters", () => {
    expect(encodeStrict("+a b!'()*~._-")).toBe("%2Ba%20b%21%27%28%29%2A~._-");
  });
});

describe('the TypeScript sample', () => {
  const expected: Record<string, string> = {
    lookupCatalog: 'catalog.lookup',
    listCountries: 'catalog.countries',
    listNetworks: 'catalog.networks',
    listProducts: 'catalog.products',
    createTopup: 'topups.create',
    listTopups: 'topups.list',
    getTopup: 'topups.get',
    getBalance: 'balance.get',
    getWallet: 'balance.getWallet',
  };
  const client = createClickAirtimeClient({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9/v2' }) as unknown as Record<string, Record<string, unknown>>;

  it.each(operations().map((o) => [o.operation.operationId, o] as const))(
    '%s calls a method the client really has',
    (id, { operation }) => {
      const { resource, method } = clientMethod({ operationId: id, tag: operation.tags[0] });
      expect(`${resource}.${method}`).toBe(expected[id]);
      expect(typeof client[resource]?.[method]).toBe('function');
    },
  );

  it('all nine type-check under strict TypeScript against the client', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clickairtime-ts-samples-'));
    try {
      for (const { operation } of operations()) {
        writeFileSync(join(dir, `${operation.operationId}.mts`), sampleOf(operation['x-codeSamples'], 'TypeScript'));
      }
      const compilerOptions = {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        allowImportingTsExtensions: true,
        types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
        paths: { 'clickairtime-v2': [join(root, 'src/index.ts')] },
      };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.mts'] }));
      const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the samples run, byte-exact, against a local server', () => {
  let recorder: Recorder;
  beforeAll(async () => {
    recorder = await startRecorder({ status: (method) => (method === 'POST' ? 201 : 200) });
  });
  afterAll(() => recorder?.close());

  const topupSamples = codeSamples(specWithTopupBody(AWKWARD), 'post', '/topups', specWithTopupBody(AWKWARD).paths['/topups'].post);

  it.each(SAMPLE_LABELS.map((l) => [l] as const))(
    '%s sends an awkward JSON body exactly (backslash, $, backticks, quotes, non-ASCII, newline, {}, [], null, false)',
    async (label) => {
      const runId = `body-${label}`;
      const run = await runSample(label, sampleOf(topupSamples, label), {
        CLICKAIRTIME_API_KEY: KEY,
        CLICKAIRTIME_BASE_URL: recorder.baseUrl(runId),
      });
      expect(run.code, run.stderr).toBe(0);
      const [req, ...more] = recorder.requests(runId);
      expect(more).toEqual([]);
      expect(req).toMatchObject({ method: 'POST', url: '/topups' });
      expect(req!.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(req!.headers['content-type']).toMatch(/^application\/json/);
      expect(req!.headers['idempotency-key']).toMatch(/^[\x21-\x7E]{16,255}$/);
      expect(canonical(req!.body)).toBe(canonical(AWKWARD_JSON));
    },
  );

  const echoSamples = codeSamples(echoSpec(), 'post', '/echo/{id}/x', echoSpec().paths['/echo/{id}/x'].post);

  // The TypeScript sample calls the client's nine methods, so it has no generic operation to try.
  it.each((['curl', 'JavaScript', 'Python', 'PHP'] as const).map((l) => [l] as const))(
    '%s sends path, query (arrays, a plus sent encoded) and header values exactly, and prints the status',
    async (label) => {
      const runId = `params-${label}`;
      const run = await runSample(label, sampleOf(echoSamples, label), {
        CLICKAIRTIME_API_KEY: KEY,
        CLICKAIRTIME_BASE_URL: recorder.baseUrl(runId),
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/\b201\b/);
      const [req] = recorder.requests(runId);
      const url = new URL(req!.url, 'http://x');
      expect(url.pathname.split('/').map(decodeURIComponent)).toEqual(['', 'echo', ECHO_PARAMS.id, 'x']);
      expect(url.search).toContain('%2B233');
      expect(url.searchParams.get('q')).toBe(ECHO_PARAMS.q);
      expect(url.searchParams.getAll('tags')).toEqual(ECHO_PARAMS.tags);
      expect(url.searchParams.get('n')).toBe('22');
      expect(url.searchParams.get('flag')).toBe('false');
      expect(url.searchParams.has('page')).toBe(false);
      expect(req!.headers['x-note']).toBe(ECHO_PARAMS.note);
      expect(req!.headers['idempotency-key']).not.toBe('documented-key');
      expect(canonical(req!.body)).toBe(canonical(AWKWARD_JSON));
    },
  );

  it.each(SAMPLE_LABELS.map((l) => [l] as const))(
    '%s fails clearly without CLICKAIRTIME_API_KEY and sends nothing',
    async (label) => {
      const runId = `nokey-${label}`;
      const run = await runSample(label, sampleOf(topupSamples, label), {
        CLICKAIRTIME_API_KEY: undefined,
        CLICKAIRTIME_BASE_URL: recorder.baseUrl(runId),
      });
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/CLICKAIRTIME_API_KEY/);
      expect(recorder.requests(runId)).toEqual([]);
    },
  );

  it('every sample defaults to the first server URL when CLICKAIRTIME_BASE_URL is unset', async () => {
    const runId = 'default-base';
    const local = bareSpec();
    local.servers = [{ url: recorder.baseUrl(runId) }];
    const samples = codeSamples(local, 'get', '/balance', local.paths['/balance'].get);
    const runs = await pool(
      SAMPLE_LABELS.length,
      SAMPLE_LABELS.map((label) => () => runSample(label, sampleOf(samples, label), { CLICKAIRTIME_API_KEY: KEY, CLICKAIRTIME_BASE_URL: undefined })),
    );
    expect(runs.map((r) => r.code)).toEqual(SAMPLE_LABELS.map(() => 0));
    expect(recorder.requests(runId).map((r) => `${r.method} ${r.url}`)).toEqual(SAMPLE_LABELS.map(() => 'GET /balance'));
  });
});
