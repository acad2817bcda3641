/** Shared helpers for the mock-server tests: requests against a mock, polling, a webhook receiver. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A response read in full. */
export interface Reply {
  status: number;
  headers: Headers;
  body: Json;
  text: string;
}

/** The suite mock's API base (`…/v2`). */
export const baseUrl = (): string => inject('mockBaseUrl');

/** The suite mock's keys by name. */
export const keys = (): Record<string, string> & { full: string } => inject('mockKeys');

/** Sends one request and reads the whole answer. `key: null` sends no Authorization header. */
export async function call(
  method: string,
  path: string,
  {
    key = keys().full,
    body,
    headers = {},
    base = baseUrl(),
  }: { key?: string | null; body?: unknown; headers?: Record<string, string>; base?: string } = {},
): Promise<Reply> {
  const h: Record<string, string> = { ...headers };
  if (key !== null && h.Authorization === undefined) h.Authorization = `Bearer ${key}`;
  let payload: string | undefined;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    h['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(base + path, { method, headers: h, body: payload });
  const text = await res.text();
  let parsed: Json;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** Retries `check` until it returns a value (not `undefined`), a bounded number of times. */
export async function eventually<T>(check: () => Promise<T | undefined>, tries = 300, intervalMs = 10): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met after ${tries} tries`);
}

/** A delivery the receiver got. */
export interface Delivery {
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** A local webhook receiver on 127.0.0.1 that records every POST and answers 204. */
export async function startReceiver(
  /** The statuses to answer, one per delivery in turn; 204 once they run out. */
  answers: number[] = [],
): Promise<{ url: string; deliveries: Delivery[]; close(): Promise<void> }> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answers.shift() ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Asserts the parts of the error envelope every error shares, and returns its code. */
export function errorCode(reply: Reply): string {
  const b = reply.body;
  if (!b || b.success !== false || typeof b.error?.code !== 'string') {
    throw new Error(`not an error envelope: ${reply.status} ${reply.text.slice(0, 300)}`);
  }
  if (!/^req_[a-z0-9]{12}$/.test(b.meta?.request_id)) throw new Error(`bad request_id ${b.meta?.request_id}`);
  return b.error.code;
}
