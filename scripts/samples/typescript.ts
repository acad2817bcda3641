/** The TypeScript sample: this project's client, `clickairtime-v2`. */
import { jsLiteral, jsString } from './literals.ts';
import { ENV, PLACEHOLDER_KEY, type SampleRequest } from './request.ts';

/**
 * The client method of an operation, from the house naming rules (verb + noun operationIds, one
 * client resource per tag): the verb alone when the noun is the resource (`createTopup` →
 * `topups.create`, `lookupCatalog` → `catalog.lookup`), the noun for other lists
 * (`listCountries` → `catalog.countries`), else the operationId (`getWallet` →
 * `balance.getWallet`). test/docs/samples.test.ts checks each exists on the real client.
 */
export function clientMethod(req: Pick<SampleRequest, 'operationId' | 'tag'>): { resource: string; method: string } {
  const match = /^([a-z]+)([A-Z]\w*)$/.exec(req.operationId);
  if (!match || !req.tag) throw new Error(`${req.operationId}: cannot name its client method (needs a verb+Noun operationId and a tag)`);
  const [, verb, noun] = match as unknown as [string, string, string];
  const resource = req.tag.toLowerCase();
  const singular = (s: string) => s.toLowerCase().replace(/s$/, '');
  if (singular(noun) === singular(resource)) return { resource, method: verb };
  if (verb === 'list') return { resource, method: noun.toLowerCase() };
  return { resource, method: req.operationId };
}

export function typescriptSample(req: SampleRequest): string {
  const { resource, method } = clientMethod(req);
  const args = req.pathParams.map((p) => jsString(p.value));
  if (req.query.length > 0) {
    args.push(jsLiteral(Object.fromEntries(req.query.map((q) => [q.name, q.example]))));
  }
  if (req.body !== undefined) args.push(jsLiteral(req.body));
  const fresh = req.headers.some((h) => h.fresh);
  const call = `client.${resource}.${method}(${args.join(', ')})`;
  const lines = [
    "import { createClickAirtimeClient } from 'clickairtime-v2';",
    '',
    `// Your API key comes from ${ENV.apiKey}`,
    `// (it looks like ${PLACEHOLDER_KEY});`,
    '// the client throws a clear error when it is unset or malformed.',
    'const client = createClickAirtimeClient({',
    `  apiKey: process.env.${ENV.apiKey},`,
    `  baseUrl: process.env.${ENV.baseUrl} || ${jsString(req.defaultBaseUrl)},`,
    '});',
    '',
  ];
  if (fresh) {
    lines.push(
      '// The client sends an Idempotency-Key (a fresh UUID unless',
      '// you pass { idempotencyKey }) and reuses it on its retries.',
    );
  }
  lines.push(`const { data, meta } = await ${call};`, 'console.log(meta.request_id, JSON.stringify(data, null, 2));');
  return lines.join('\n');
}
