/**
 * fast-check arbitraries for HTTP requests generated from the bundled spec: for each operation,
 * valid requests (built from its parameter and body schemas and examples) and invalid ones (wrong
 * types, missing fields, boundary values, random headers, garbage bodies), plus unknown routes and
 * wrong methods. Used by the mock fuzzing test; everything stays on loopback.
 */
import fc from 'fast-check';
import { deref, operations, type Json } from '../support/spec.ts';

/** A request to send, relative to the server's base URL (`/v2`). */
export interface FuzzRequest {
  kind: 'operation' | 'unknown-route' | 'wrong-method';
  /** The operation's method and path template, for `kind: 'operation'`. */
  operation?: { method: string; path: string };
  method: string;
  /** Path and query, starting with `/`. */
  target: string;
  headers: Record<string, string>;
  body?: string;
}

export interface FuzzKeys {
  full: string;
  /** Keys that must be refused (revoked, expired, IP-restricted, narrow scopes). */
  others: readonly string[];
}

const HOP_BY_HOP = new Set([
  'connection',
  'content-length',
  'transfer-encoding',
  'host',
  'expect',
  'upgrade',
  'keep-alive',
  'te',
  'trailer',
  'proxy-connection',
  'authorization',
  'content-type',
]);

/** Printable ASCII, the only header values node:http will send. */
const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/).filter((n) => !HOP_BY_HOP.has(n));

/** Values of the wrong type or at the edges, for any field. */
export const invalidValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.constantFrom(0, -1, -0.01, 0.001, 1e21, Number.MAX_SAFE_INTEGER, 5000, 5000.01, 1, 0.5),
  fc.boolean(),
  fc.constant(null),
  fc.constant('x'.repeat(5_000)),
  fc.constantFrom('', ' ', '+', '+233', '+2335411122591234567', '233541112259', '../../etc/passwd', '<script>', "' OR 1=1 --", '%00', '\u0000'),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

function examplesOf(schema: Json): unknown[] {
  const out: unknown[] = [];
  if (schema && 'example' in schema) out.push(schema.example);
  if (schema && Array.isArray(schema.examples)) out.push(...schema.examples);
  return out;
}

/**
 * Values that match `schema` (as far as a small generator can: enums, consts, patterns, formats,
 * ranges, objects, arrays, oneOf), mixed with the schema's own examples.
 */
export function valueArb(node: Json, callbackUrl: string, depth = 0): fc.Arbitrary<unknown> {
  const schema = deref(node) ?? {};
  const examples = examplesOf(schema);
  const generated = generatedArb(schema, callbackUrl, depth);
  return examples.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...examples), weight: 2 }, { arbitrary: generated, weight: 1 }) : generated;
}

function generatedArb(schema: Json, callbackUrl: string, depth: number): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[key])) return fc.oneof(...(schema[key] as Json[]).map((s) => valueArb(s, callbackUrl, depth + 1)));
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Json = { type: 'object', properties: {}, required: [] };
    for (const part of schema.allOf.map(deref)) {
      Object.assign(merged.properties, part.properties ?? {});
      merged.required.push(...(part.required ?? []));
    }
    return generatedArb(merged, callbackUrl, depth);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'date') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      if (schema.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      // Never let the mock call out: any URL it might POST webhooks to points at the local sink.
      if (schema.format === 'uri' || schema.format === 'url') return fc.constant(callbackUrl);
      if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 1_000));
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 20, 40) });
    }
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000 });
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 0.01 : -1_000);
      const max = schema.maximum ?? 10_000;
      return fc.integer({ min: Math.ceil(min * 100), max: Math.floor(max * 100) }).map((n) => n / 100);
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(valueArb(schema.items ?? {}, callbackUrl, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'object': {
      if (depth > 3 || !schema.properties) return fc.dictionary(fc.stringMatching(/^[a-z_]{1,10}$/), fc.string({ maxLength: 10 }), { maxKeys: 3 });
      const properties = schema.properties as Record<string, Json>;
      const shape = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, valueArb(v, callbackUrl, depth + 1)]));
      return fc.record(shape, { requiredKeys: (schema.required ?? []).filter((k: string) => k in properties) });
    }
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

/** An object body with one field removed, retyped or added, or the whole body replaced. */
function mutatedBody(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), fc.constantFrom('delete', 'retype', 'extra'), invalidValue).map(([body, pick, how, bad]) => {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return bad;
    const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const key = keys.length > 0 ? keys[pick % keys.length]! : 'unexpected';
    if (how === 'delete') delete copy[key];
    else if (how === 'retype') copy[key] = bad;
    else copy[`x_${pick % 100}`] = bad;
    return copy;
  });
}

function authHeader(keys: FuzzKeys): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(`Bearer ${keys.full}`), weight: 10 },
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: fc.constantFrom(...keys.others.map((k) => `Bearer ${k}`)), weight: 2 },
    { arbitrary: fc.constantFrom(`Basic ${Buffer.from('user:pass').toString('base64')}`, `bearer ${keys.full}`, `Bearer  ${keys.full}`, 'Bearer', `Token ${keys.full}`), weight: 1 },
    { arbitrary: fc.stringMatching(/^ce_live_[A-Za-z0-9]{32}$/).map((k) => `Bearer ${k}`), weight: 1 },
    { arbitrary: headerValue.map((v) => `Bearer ${v}`), weight: 1 },
  );
}

function extraHeaders(): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    { arbitrary: fc.constant({}), weight: 4 },
    { arbitrary: fc.dictionary(headerName, headerValue, { maxKeys: 4 }), weight: 2 },
    {
      arbitrary: fc.record(
        {
          prefer: fc.constantFrom('code=200', 'code=400', 'code=404', 'code=500', 'code=999', 'code=abc', 'example=balance', 'example=nope', 'dynamic=true'),
          accept: fc.constantFrom('application/json', '*/*', 'text/html', 'application/xml', 'application/problem+json'),
          'x-forwarded-for': fc.constantFrom('203.0.113.7', '10.0.0.1, 203.0.113.7', 'garbage'),
        },
        { requiredKeys: [] },
      ),
      weight: 1,
    },
  );
}

/** Any generated value as text (objects from fc.dictionary have no prototype, so no String()). */
function str(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined');
}

function encodeQuery(entries: [string, unknown][]): string {
  const parts = entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(str(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Requests for one operation of the spec, valid and invalid. */
function operationRequest(op: { method: string; path: string; operation: Json }, keys: FuzzKeys, callbackUrl: string): fc.Arbitrary<FuzzRequest> {
  const params = ((op.operation.parameters ?? []) as Json[]).map(deref);
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const headerParams = params.filter((p) => p.in === 'header');
  const valueFor = (p: Json): fc.Arbitrary<unknown> =>
    fc.oneof({ arbitrary: valueArb(p.schema ?? {}, callbackUrl), weight: 4 }, { arbitrary: invalidValue, weight: 1 });

  const pathArb = fc.record(Object.fromEntries(pathParams.map((p) => [p.name as string, valueFor(p)]))).map((values) =>
    op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(str(values[name]))),
  );
  const queryArb = fc
    .tuple(
      fc.record(Object.fromEntries(queryParams.map((p) => [p.name as string, valueFor(p)])), {
        requiredKeys: [],
      }),
      fc.oneof({ arbitrary: fc.constant<[string, unknown][]>([]), weight: 5 }, { arbitrary: fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 2 }), weight: 1 }),
    )
    .map(([known, extra]) => encodeQuery([...Object.entries(known), ...extra]));
  const headerParamArb = fc.record(
    Object.fromEntries(headerParams.map((p) => [p.name as string, fc.oneof(valueArb(p.schema ?? {}, callbackUrl), headerValue).map((v) => str(v).replace(/[^\x20-\x7e]/g, '?'))])),
    { requiredKeys: [] },
  );

  const media = deref(op.operation.requestBody)?.content?.['application/json'];
  const validBody = media ? valueArb(media.schema, callbackUrl) : fc.constant(undefined);
  const bodyArb: fc.Arbitrary<{ body?: string; contentType?: string }> = media
    ? fc.oneof(
        { arbitrary: validBody.map((b) => ({ body: JSON.stringify(b), contentType: 'application/json' })), weight: 5 },
        { arbitrary: mutatedBody(validBody).map((b) => ({ body: JSON.stringify(b), contentType: 'application/json' })), weight: 3 },
        { arbitrary: fc.string({ maxLength: 200 }).map((b) => ({ body: b, contentType: 'application/json' })), weight: 1 },
        { arbitrary: fc.jsonValue({ maxDepth: 2 }).map((b) => ({ body: JSON.stringify(b), contentType: 'application/json' })), weight: 1 },
        {
          arbitrary: fc.tuple(validBody, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8', 'application/vnd.api+json', 'multipart/form-data')).map(([b, ct]) => ({ body: JSON.stringify(b), contentType: ct })),
          weight: 1,
        },
        { arbitrary: fc.constant({}), weight: 1 },
      )
    : fc.oneof({ arbitrary: fc.constant({}), weight: 9 }, { arbitrary: fc.string({ maxLength: 50 }).map((b) => ({ body: b, contentType: 'text/plain' })), weight: 1 });

  return fc.record({ path: pathArb, query: queryArb, headerParams: headerParamArb, body: bodyArb, auth: authHeader(keys), extra: extraHeaders() }).map(({ path, query, headerParams: hp, body, auth, extra }) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...extra, ...hp })) if (v !== undefined) headers[k] = v;
    if (auth !== undefined) headers.authorization = auth;
    if (body.contentType) headers['content-type'] = body.contentType;
    return {
      kind: 'operation' as const,
      operation: { method: op.method, path: op.path },
      method: op.method.toUpperCase(),
      target: `${path}${query}`,
      headers,
      ...(body.body !== undefined && { body: body.body }),
    };
  });
}

/** Any request the fuzzer may send: mostly operations, some unknown routes and wrong methods. */
export function requestArb(keys: FuzzKeys, callbackUrl: string): fc.Arbitrary<FuzzRequest> {
  const ops = operations();
  const known = ops.map((op) => operationRequest(op, keys, callbackUrl));
  const unknownRoute = fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      path: fc.oneof(
        fc.array(fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/), { minLength: 1, maxLength: 4 }).map((segs) => `/${segs.join('/')}`),
        fc.constantFrom('/', '/topups/', '/balance/', '/catalog', '/catalog/lookup/x', '/%2e%2e/%2e%2e/etc/passwd', '/TOPUPS', '/topups/../balance'),
      ),
      auth: authHeader(keys),
    })
    .filter(({ method, path }) => !ops.some((op) => op.method.toUpperCase() === method && new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path)))
    .map(({ method, path, auth }) => ({
      kind: 'unknown-route' as const,
      method,
      target: path,
      headers: auth ? { authorization: auth } : ({} as Record<string, string>),
    }));
  const paths = [...new Set(ops.map((op) => op.path))];
  const wrongMethod = fc
    .record({ path: fc.constantFrom(...paths), method: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'POST', 'GET'), auth: authHeader(keys) })
    .filter(({ path, method }) => !ops.some((op) => op.path === path && op.method.toUpperCase() === method))
    .map(({ path, method, auth }) => ({
      kind: 'wrong-method' as const,
      method,
      target: path.replace(/\{[^}]+\}/g, 'x1'),
      headers: auth ? { authorization: auth } : ({} as Record<string, string>),
    }));
  return fc.oneof({ arbitrary: fc.oneof(...known), weight: 8 }, { arbitrary: unknownRoute, weight: 1 }, { arbitrary: wrongMethod, weight: 1 });
}
