/**
 * Vitest global setup: one sandbox mock for the whole suite, on 127.0.0.1 and a free port, with
 * short lifecycle delays, rate limits no suite can reach, and self-check on, so every response it
 * sends is checked against the spec. Teardown fails the run (exit code 1) if any response did not match.
 *
 * Tests read it with `inject('mockBaseUrl')`, `inject('mockUrl')` and `inject('mockKeys')`.
 */
import type { TestProject } from 'vitest/node';
import { startMockServer, type MockServer } from '../../src/mock/server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The suite's mock, API base: `http://127.0.0.1:PORT/v2`. */
    mockBaseUrl: string;
    /** The suite's mock, origin: `http://127.0.0.1:PORT`. */
    mockUrl: string;
    /** Sandbox keys by name (`full`, `airtime-read`, `revoked`, `expired`, `ip-restricted`, ...). */
    mockKeys: Record<string, string> & { full: string };
  }
}

/** Delays and limits of the suite's mock. */
export const SUITE_MOCK_OPTIONS = {
  host: '127.0.0.1',
  port: 0,
  selfCheck: true,
  delays: { processingMs: 30, completionMs: 30 },
  rateLimits: { read: 1_000_000, write: 1_000_000, topup: 1_000_000, lookup: 1_000_000 },
} as const;

let server: MockServer | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  server = await startMockServer(SUITE_MOCK_OPTIONS);
  const keys = Object.fromEntries(server.keys.map((k) => [k.name, k.key])) as Record<string, string> & { full: string };
  project.provide('mockBaseUrl', server.baseUrl);
  project.provide('mockUrl', server.url);
  project.provide('mockKeys', keys);
  return async () => {
    const running = server;
    server = undefined;
    if (!running) return;
    const mismatches = running.mismatches();
    await running.close();
    if (mismatches.length > 0) {
      // A throw here is only logged by vitest; the exit code is what fails the run.
      process.exitCode = 1;
      console.error(
        `\nFAIL the mock sent ${mismatches.length} response(s) that do not match the spec:\n` +
          JSON.stringify(mismatches.slice(0, 20), null, 2),
      );
    }
  };
}
