/**
 * Command line of the mock: flags and environment variables to {@link MockServerOptions}, the
 * start-up banner (where it listens, the ready-to-use keys) and a clean stop on Ctrl-C.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { redactApiKey } from '../redact.ts';
import { MAGIC_NUMBERS } from './catalog.ts';
import { DEFAULT_KEYS_FILE } from './keys.ts';
import { startMockServer, type MockServer, type MockServerOptions } from './server.ts';

/** Flags, each with its environment variable. */
const FLAGS = {
  host: { env: 'MOCK_HOST', help: 'interface to listen on (default 127.0.0.1)' },
  port: { env: 'MOCK_PORT', help: 'port, 0 for a free one (default 4010)' },
  keys: { env: 'MOCK_KEYS_FILE', help: 'key file (default src/mock/sandbox-keys.json)' },
  'processing-delay': { env: 'MOCK_PROCESSING_DELAY_MS', help: 'ms from pending to processing (default 2000)' },
  'completion-delay': { env: 'MOCK_COMPLETION_DELAY_MS', help: 'ms from processing to completed/failed (default 3000)' },
  'webhook-retry-delay': { env: 'MOCK_WEBHOOK_RETRY_DELAY_MS', help: 'ms before a failed webhook is redelivered, doubling; 3 tries in all (default 1000)' },
  'limit-read': { env: 'MOCK_LIMIT_READ', help: 'reads per window per key (default 300)' },
  'limit-write': { env: 'MOCK_LIMIT_WRITE', help: 'other writes per window per key (default 120)' },
  'limit-topup': { env: 'MOCK_LIMIT_TOPUP', help: 'top-up creations per window per key (default 60)' },
  'limit-lookup': { env: 'MOCK_LIMIT_LOOKUP', help: 'catalog lookups per window per key (default 120)' },
  'rate-window': { env: 'MOCK_RATE_WINDOW_MS', help: 'rate-limit window in ms (default 60000)' },
  'max-body': { env: 'MOCK_MAX_BODY_BYTES', help: 'largest request body in bytes (default 1048576)' },
  webhooks: { env: 'MOCK_WEBHOOKS', help: 'any: deliver webhooks where callback_url says; loopback: only to this machine (default any)' },
  'self-check': { env: 'MOCK_SELF_CHECK', help: 'check every response against the spec (GET /__sandbox/self-check)' },
  quiet: { env: 'MOCK_QUIET', help: 'print only the listening line' },
} as const;

type Flag = keyof typeof FLAGS;

function int(name: Flag, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} (${FLAGS[name].env}) must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Options from argv (flags win) and the environment. */
export function parseMockArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): MockServerOptions & { quiet: boolean; help: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ...Object.fromEntries(
        Object.keys(FLAGS).map((name) => [name, { type: name === 'self-check' || name === 'quiet' ? 'boolean' : 'string' }]),
      ),
      help: { type: 'boolean', short: 'h' },
    } as Record<string, { type: 'string' | 'boolean' }>,
    strict: true,
  });
  const get = (name: Flag): string | undefined => {
    const v = values[name];
    return typeof v === 'string' ? v : env[FLAGS[name].env];
  };
  const flag = (name: Flag): boolean => values[name] === true || /^(1|true|yes)$/i.test(env[FLAGS[name].env] ?? '');
  const opts: MockServerOptions & { quiet: boolean; help: boolean } = { quiet: flag('quiet'), help: values.help === true };
  const host = get('host');
  if (host) opts.host = host;
  const port = int('port', get('port'));
  if (port !== undefined) opts.port = port;
  const keys = get('keys');
  if (keys) opts.keysFile = resolve(keys);
  // Numeric flags that fill one options object, each set one under its key.
  const numbers = <K extends string>(pairs: readonly (readonly [Flag, K])[]): Partial<Record<K, number>> => {
    const out: Partial<Record<K, number>> = {};
    for (const [flagName, key] of pairs) {
      const n = int(flagName, get(flagName));
      if (n !== undefined) out[key] = n;
    }
    return out;
  };
  opts.delays = numbers([
    ['processing-delay', 'processingMs'],
    ['completion-delay', 'completionMs'],
    ['webhook-retry-delay', 'webhookRetryMs'],
  ]);
  opts.rateLimits = numbers([
    ['limit-read', 'read'],
    ['limit-write', 'write'],
    ['limit-topup', 'topup'],
    ['limit-lookup', 'lookup'],
    ['rate-window', 'windowMs'],
  ]);
  const maxBody = int('max-body', get('max-body'));
  if (maxBody !== undefined) opts.maxBodyBytes = maxBody;
  if (flag('self-check')) opts.selfCheck = true;
  const webhooks = get('webhooks') ?? 'any';
  if (webhooks !== 'any' && webhooks !== 'loopback') throw new Error(`--webhooks (MOCK_WEBHOOKS) must be any or loopback, got ${JSON.stringify(webhooks)}`);
  opts.webhooks = webhooks;
  return opts;
}

/** The `--help` text. */
export function usage(): string {
  const lines = Object.entries(FLAGS).map(([name, f]) => `  --${name.padEnd(18)} ${f.env.padEnd(26)} ${f.help}`);
  return `clickairtime-mock: the Click Airtime V2 sandbox\n\nUsage: clickairtime-mock [flags]\n\n  flag                 env                        meaning\n${lines.join('\n')}\n`;
}

/** The banner: where it listens, the keys, the magic numbers. Full keys only for the committed sandbox file. */
export function banner(server: MockServer, keysFile: string | URL | undefined, docs: boolean): string {
  const isDefault = keysFile === undefined || resolve(fileURLToPath(DEFAULT_KEYS_FILE)) === resolve(String(keysFile instanceof URL ? fileURLToPath(keysFile) : keysFile));
  const width = Math.max(...server.keys.map((k) => k.name.length));
  const keyLines = server.keys.map(
    (k) => `  ${k.name.padEnd(width)}  ${isDefault ? k.key : redactApiKey(k.key)}  ${k.description ?? k.scopes.join(', ')}`,
  );
  const magic = Object.entries(MAGIC_NUMBERS).map(([phone, outcome]) => `  ${phone}  ${outcome.replace(/_/g, ' ')}`);
  return [
    `Click Airtime V2 sandbox listening on ${server.url}`,
    `  API:   ${server.baseUrl}`,
    ...(docs ? [`  Docs:  ${server.url}/docs`] : []),
    `  Reset: curl -X POST ${server.url}/__sandbox/reset`,
    '',
    isDefault ? 'Sandbox keys (public, sandbox only):' : 'Keys from your key file (shown redacted):',
    ...keyLines,
    '',
    'Magic phone numbers:',
    ...magic,
    '',
    `Try: curl -H 'Authorization: Bearer ${isDefault ? (server.keys.find((k) => k.name === 'full')?.key ?? '<key>') : '<key>'}' ${server.baseUrl}/balance`,
  ].join('\n');
}

/** Starts the mock from the command line; resolves once it listens. Ctrl-C stops it. */
export async function main(argv: readonly string[] = process.argv.slice(2), extra: Partial<MockServerOptions> = {}): Promise<MockServer | undefined> {
  let opts: ReturnType<typeof parseMockArgs>;
  try {
    opts = parseMockArgs(argv);
  } catch (err) {
    console.error(`clickairtime-mock: ${err instanceof Error ? err.message : String(err)}\n\n${usage()}`);
    process.exitCode = 2;
    return undefined;
  }
  if (opts.help) {
    console.log(usage());
    return undefined;
  }
  const { quiet, help: _help, ...serverOptions } = opts;
  void _help;
  let server: MockServer;
  try {
    server = await startMockServer({ log: (line) => console.error(`[mock] ${line}`), ...serverOptions, ...extra });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const hint = e.code === 'EADDRINUSE' ? ' (port in use: pass --port or MOCK_PORT)' : '';
    console.error(`clickairtime-mock: could not start: ${e.message}${hint}`);
    process.exitCode = 1;
    return undefined;
  }
  const hasDocs = extra.docsFile !== undefined || extra.docsFallbackHtml !== undefined;
  console.log(quiet ? `Click Airtime V2 sandbox listening on ${server.url}` : banner(server, serverOptions.keysFile, hasDocs));
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}
