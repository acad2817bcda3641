/**
 * Every code sample on the docs page, taken from the bundled spec and run unchanged against the
 * suite's sandbox mock: 9 operations × 5 languages, each its own test. Only the environment
 * differs from what a reader pastes: CLICKAIRTIME_BASE_URL points at a recording pass-through
 * in front of the mock (so the test sees exactly what each sample sent and what it got back)
 * and CLICKAIRTIME_API_KEY is the sandbox's `full` key.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { operations, type Json } from '../support/spec.ts';
import { runSample, SAMPLE_LABELS, startRecorder, type Label, type Recorder } from './support/run-sample.ts';

const cases = operations().flatMap(({ method, path, operation }) =>
  (operation['x-codeSamples'] as { label: Label; source: string }[]).map((sample) => ({
    name: `${operation.operationId} in ${sample.label}`,
    operationId: operation.operationId as string,
    method: method.toUpperCase(),
    path,
    success: Number(Object.keys(operation.responses as Json).find((s) => /^2\d\d$/.test(s))),
    ...sample,
  })),
);

/** A path template as a pattern over the request path the sample sent (query aside). */
const pathPattern = (template: string) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/?]+')}(\\?|$)`);

describe('the docs page samples against the sandbox mock', () => {
  let recorder: Recorder;
  const key = inject('mockKeys').full;

  beforeAll(async () => {
    recorder = await startRecorder({ upstream: inject('mockBaseUrl') });
  });
  afterAll(() => recorder?.close());

  it('are 45: nine operations in five languages', () => {
    expect(cases).toHaveLength(45);
    expect(new Set(cases.map((c) => c.label))).toEqual(new Set(SAMPLE_LABELS));
  });

  // Concurrent, at most `maxConcurrency` (5) at a time: the interpreters start in parallel.
  describe.concurrent('each sample exits 0 and gets its documented success status', () => {
    it.for(cases.map((c) => [c.name, c] as const))('%s', async ([name, c]) => {
      const runId = name.replace(/\W+/g, '-');
      const run = await runSample(c.label, c.source, { CLICKAIRTIME_API_KEY: key, CLICKAIRTIME_BASE_URL: recorder.baseUrl(runId) });
      const sent = recorder.requests(runId);
      const trace = `exit ${run.code}\nrequests: ${JSON.stringify(sent.map((r) => `${r.method} ${r.url} -> ${r.status}`))}\nstderr: ${run.stderr.slice(0, 2000)}\nstdout: ${run.stdout.slice(0, 1000)}`;
      expect(run.code, trace).toBe(0);
      expect(sent.length, trace).toBeGreaterThanOrEqual(1);
      const final = sent.at(-1)!;
      expect(final.method, trace).toBe(c.method);
      expect(final.url, trace).toMatch(pathPattern(c.path));
      expect(final.status, trace).toBe(c.success);
      expect(final.headers.authorization).toBe(`Bearer ${key}`);
      // The samples that print a status print the documented one (the TS client returns data only).
      if (c.label !== 'TypeScript') expect(run.stdout).toMatch(new RegExp(`\\b${c.success}\\b`));
    });
  });
});
