/**
 * Child processes for the bench: each server under test runs in its own process so that the
 * load generator (in the bench process) never shares an event loop with it. Every child is
 * tracked and killed by pid when the bench ends, whatever happens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const children = new Set<ChildProcess>();

function killAll(): void {
  for (const child of children) if (child.exitCode === null && child.pid) child.kill('SIGTERM');
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** A server running in a child process. */
export interface ChildServer {
  /** Origin, e.g. `http://127.0.0.1:4321`. */
  origin: string;
  pid: number;
  stop(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function track(child: ChildProcess, origin: string): ChildServer {
  children.add(child);
  return {
    origin,
    pid: child.pid ?? -1,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          children.delete(child);
          resolve();
          return;
        }
        const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(force);
          children.delete(child);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Starts a child that prints `{"port":N}` as its first stdout line (bench/serve-*.ts). */
export function startJsonPortChild(args: readonly string[], timeoutMs = 60_000): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not start in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.trim().startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      const { port } = JSON.parse(line) as { port: number };
      resolve(track(child, `http://127.0.0.1:${port}`));
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code} before listening\n${stderr}`));
    });
  });
}

/** Starts `prism mock -v silent <spec>` (the CLI, as users run it) and waits until it answers. */
export async function startPrism(spec: string, timeoutMs = 60_000): Promise<ChildServer> {
  const port = await freePort();
  const bin = `${root}node_modules/@stoplight/prism-cli/dist/index.js`;
  const child = spawn(process.execPath, [bin, 'mock', '-v', 'silent', '-h', '127.0.0.1', '-p', String(port), spec], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const server = track(child, `http://127.0.0.1:${port}`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prism exited with ${child.exitCode}`);
    const ok = await fetch(`${server.origin}/`, { signal: AbortSignal.timeout(1_000) }).then(
      () => true,
      () => false,
    );
    if (ok) return server;
    await new Promise((r) => setTimeout(r, 200));
  }
  await server.stop();
  throw new Error(`prism did not start in ${timeoutMs} ms`);
}
