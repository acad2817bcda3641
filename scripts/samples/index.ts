/**
 * Code samples for the docs page, generated from each operation's documented example request:
 * `x-codeSamples` in curl, JavaScript (fetch), Python (requests), PHP (curl) and TypeScript
 * (this project's client). Small templates rather than a snippet library: measured in
 * /work/shared/notes/snippet-generators.md, no npm generator was both idiomatic and exact on
 * awkward bodies, and none could read the key and base URL from the environment.
 */
import { curlSample } from './curl.ts';
import { javascriptSample } from './javascript.ts';
import { phpSample } from './php.ts';
import { pythonSample } from './python.ts';
import { sampleRequest, type Json, type SampleRequest } from './request.ts';
import { typescriptSample } from './typescript.ts';

export { sampleRequest, type SampleRequest } from './request.ts';

/** One entry of `x-codeSamples`, as Redoc reads it. */
export interface CodeSample {
  /** Highlighting language. */
  lang: string;
  /** Tab title. */
  label: string;
  source: string;
}

/** The five sample languages, in tab order. `lang` names a grammar Redoc's highlighter knows. */
export const SAMPLE_LANGUAGES = [
  { label: 'curl', lang: 'bash', render: curlSample },
  { label: 'JavaScript', lang: 'javascript', render: javascriptSample },
  { label: 'Python', lang: 'python', render: pythonSample },
  { label: 'PHP', lang: 'php', render: phpSample },
  // Redoc has no TypeScript grammar; JavaScript's highlights it well.
  { label: 'TypeScript', lang: 'javascript', render: typescriptSample },
] as const satisfies readonly { label: string; lang: string; render: (req: SampleRequest) => string }[];

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** The five samples of one operation. */
export function codeSamples(spec: Json, method: string, path: string, operation: Json): CodeSample[] {
  const req = sampleRequest(spec, method, path, operation);
  return SAMPLE_LANGUAGES.map(({ label, lang, render }) => ({ lang, label, source: `${render(req)}\n` }));
}

/** Returns a copy of the bundled spec with `x-codeSamples` on every operation under `paths`. */
export function withCodeSamples<T extends Record<string, unknown>>(spec: T): T {
  const out: Json = structuredClone(spec);
  for (const [path, item] of Object.entries((out.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) operation['x-codeSamples'] = codeSamples(spec, method, path, operation);
    }
  }
  return out;
}
