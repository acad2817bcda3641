/**
 * Runs a generated code sample as a user would (curl through bash, JavaScript through node,
 * Python through python3, PHP through php, TypeScript through tsx), with only the environment
 * changed, and records what reached the server.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../../support/spec.ts';

export const SAMPLE_LABELS = ['curl', 'JavaScript', 'Python', 'PHP', 'TypeScript'] as const;
export type Label = (typeof SAMPLE_LABELS)[number];

const FILE = { curl: 'sample.sh', JavaScript: 'sample.mjs', Python: 'sample.py', PHP: 'sample.php', TypeScript: 'sample.mts' } as const;
const TSX = join(root, 'node_modules/tsx/dist/cli.mjs');

/** How each language is run: the sample file is its only argument. */
function command(label: Label, dir: string): [string, string[]] {
  const file = join(dir, FILE[label]);
  switch (label) {
    case 'curl':
      return ['bash', [file]];
    case 'JavaScript':
      return [process.execPath, [file]];
    case 'Python':
      return ['python3', [file]];
    case 'PHP':
      return ['php', [file]];
    case 'TypeScript':
      // `clickairtime-v2` resolves to this repo's src/index.ts through the temp tsconfig's paths.
      return [process.execPath, [TSX, '--tsconfig', join(dir, 'tsconfig.json'), file]];
  }
}

export interface SampleRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Writes `source` to a fresh temp dir and runs it. `env` entries set to undefined are removed
 * from the inherited environment (so an unset key really is unset).
 */
export async function runSample(label: Label, source: string, env: Record<string, string | undefined>, timeoutMs = 30_000): Promise<SampleRun> {
  const dir = await mkdtemp(join(tmpdir(), 'clickairtime-sample-'));
  try {
    await writeFile(join(dir, FILE[label]), source);
    if (label === 'TypeScript') {
      const tsconfig = { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, paths: { 'clickairtime-v2': [join(root, 'src/index.ts')] } } };
      await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    }
    const childEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) childEnv[k] = v;
    const [cmd, args] = command(label, dir);
    return await new Promise<SampleRun>((resolve, reject) => {
      const child = spawn(cmd, args, { cwd: dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One request as the server received it. */
export interface Recorded {
  method: string;
  /** Path and query as sent, not decoded. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The status the server answered with. */
  status: number;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface Recorder {
  /** The base URL for one run: requests under it are recorded under `runId`. */
  baseUrl(runId: string): string;
  requests(runId: string): Recorded[];
  close(): Promise<void>;
}

/**
 * A local server that records every request by run, under `/<runId>/v2/...`. With `upstream`
 * (a mock's `/v2` base URL) it forwards each request there unchanged and records the answer's
 * status; without, it answers `status(req)` with a success envelope echoing the request.
 */
export async function startRecorder(options: { upstream?: string; status?: (method: string) => number } = {}): Promise<Recorder> {
  const byRun = new Map<string, Recorded[]>();
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const match = /^\/([\w-]+)\/v2(\/.*)?$/.exec(req.url ?? '');
    const runId = match?.[1] ?? '';
    const rest = match?.[2] ?? '/';
    const record: Recorded = { method: req.method ?? '', url: rest, headers: req.headers, body: body.toString('utf8'), status: 0 };
    if (!byRun.has(runId)) byRun.set(runId, []);
    byRun.get(runId)!.push(record);
    if (!options.upstream) {
      record.status = options.status?.(record.method) ?? 200;
      res.writeHead(record.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ success: true, data: { echo: true }, meta: { request_id: 'req_000000000000', timestamp: new Date().toISOString() } }));
      return;
    }
    const target = new URL(`${options.upstream}${rest}`);
    const headers = { ...req.headers, host: target.host };
    const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
      record.status = answer.statusCode ?? 0;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (err) => {
      record.status = 502;
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`recorder: upstream failed: ${err.message}`);
    });
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    baseUrl: (runId) => `http://127.0.0.1:${port}/${runId}/v2`,
    requests: (runId) => byRun.get(runId) ?? [],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
