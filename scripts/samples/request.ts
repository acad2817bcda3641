/**
 * Reads an operation's documented example request out of the bundled spec: the values every
 * code-sample template renders. Nothing here knows about a particular operation; a missing
 * example is an error, so a new operation can't ship with a sample that invents its data.
 */

// The bundled spec is untyped JSON here: the templates only read a handful of fields.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** The environment variables every sample reads. */
export const ENV = { apiKey: 'CLICKAIRTIME_API_KEY', baseUrl: 'CLICKAIRTIME_BASE_URL' } as const;

/** The placeholder key, for prose and comments only: never sent. */
export const PLACEHOLDER_KEY = `ce_live_${'x'.repeat(32)}`;

/**
 * A header whose value a sample makes fresh on each run instead of copying the example:
 * reusing the documented `Idempotency-Key` would turn every run after the first into a 409.
 */
export const FRESH_HEADERS = new Set(['idempotency-key']);

export interface QueryParam {
  name: string;
  /** The values as sent on the wire (before percent-encoding); one per repetition of the name. */
  values: string[];
  /** The parameter's schema is an array (sent as `name=a&name=b`). */
  array: boolean;
  /** The example as documented, with its JSON type (`22`, not `'22'`): what a typed client takes. */
  example: unknown;
}

export interface HeaderParam {
  name: string;
  /** The documented example value; for a fresh header, shown only as a pattern. */
  value: string;
  /** True when the sample generates the value per run (see {@link FRESH_HEADERS}). */
  fresh: boolean;
}

export interface SampleRequest {
  operationId: string;
  /** Upper case: `GET`, `POST`. */
  method: string;
  /** The first tag, as in the spec (`Topups`). */
  tag: string;
  /** The path template from the spec (`/topups/{id}`). */
  pathTemplate: string;
  /** Path parameters in the order they appear in the template, with their example values. */
  pathParams: { name: string; value: string }[];
  /** The path with the example values percent-encoded into it (`/topups/3f9c…`). */
  path: string;
  query: QueryParam[];
  headers: HeaderParam[];
  /** The JSON body from the first named request example; undefined when there is none. */
  body?: unknown;
  /** The documented success status (the lowest 2xx response). */
  successStatus: number;
  /** The first server URL, the default base URL of every sample. */
  defaultBaseUrl: string;
}

/** Follows local `$ref`s (`#/components/...`) in the bundled spec. */
export function deref(spec: Json, node: Json): Json {
  let current = node;
  for (let hops = 0; current && typeof current.$ref === 'string'; hops++) {
    if (hops > 32 || !current.$ref.startsWith('#/')) throw new Error(`cannot follow $ref ${current.$ref}`);
    const keys = current.$ref
      .slice(2)
      .split('/')
      .map((k: string) => decodeURIComponent(k).replace(/~1/g, '/').replace(/~0/g, '~'));
    current = keys.reduce((acc: Json, key: string) => acc?.[key], spec);
  }
  return current;
}

/**
 * Percent-encodes everything outside RFC 3986's unreserved set, so an encoded value is safe
 * inside any quoting of any of the sample languages (encodeURIComponent leaves `!'()*`).
 */
export function encodeStrict(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A parameter's documented example: `example`, its first `examples` entry, or its schema's. */
function parameterExample(spec: Json, param: Json, where: string): unknown {
  if (param.example !== undefined) return param.example;
  const first = Object.values(param.examples ?? {})[0];
  if (first !== undefined) return deref(spec, first).value;
  const schema = deref(spec, param.schema);
  if (schema?.example !== undefined) return schema.example;
  if (Array.isArray(schema?.examples) && schema.examples.length > 0) return schema.examples[0];
  throw new Error(`${where}: parameter ${param.name} has no example to build a code sample from`);
}

/** How a scalar query or path value is written on the wire. */
function wireString(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${where}: only scalar (or array of scalar) parameter examples can be rendered, got ${JSON.stringify(value)}`);
}

/**
 * Query parameters a sample sends: every required one, and every optional one whose example
 * says something (an example equal to the schema's default would only add noise).
 */
function includeQuery(spec: Json, param: Json, example: unknown): boolean {
  if (param.required) return true;
  const schema = deref(spec, param.schema);
  return schema?.default === undefined || JSON.stringify(schema.default) !== JSON.stringify(example);
}

/** The body of the first named example of the JSON request body (or its single `example`). */
function bodyExample(spec: Json, operation: Json, where: string): unknown {
  const requestBody = deref(spec, operation.requestBody);
  if (!requestBody) return undefined;
  const media = requestBody.content?.['application/json'];
  if (!media) throw new Error(`${where}: only application/json request bodies are supported`);
  const first = Object.values(media.examples ?? {})[0];
  if (first !== undefined) return deref(spec, first).value;
  if (media.example !== undefined) return media.example;
  throw new Error(`${where}: the request body has no example to build a code sample from`);
}

/** The documented example request of one operation. */
export function sampleRequest(spec: Json, method: string, pathTemplate: string, operation: Json): SampleRequest {
  const where = operation.operationId ?? `${method.toUpperCase()} ${pathTemplate}`;
  const pathItem = spec.paths?.[pathTemplate] ?? {};
  // Operation-level parameters override path-level ones with the same name and location.
  const params = new Map<string, Json>();
  for (const p of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((p: Json) => deref(spec, p))) {
    params.set(`${p.in}:${p.name}`, p);
  }

  const pathValues = new Map<string, string>();
  const query: QueryParam[] = [];
  const headers: HeaderParam[] = [];
  for (const param of params.values()) {
    if (param.in === 'cookie') throw new Error(`${where}: cookie parameters are not supported`);
    if (param.in === 'header' && FRESH_HEADERS.has(param.name.toLowerCase())) {
      const example = param.example ?? deref(spec, param.schema)?.example ?? '';
      headers.push({ name: param.name, value: String(example), fresh: true });
      continue;
    }
    const example = parameterExample(spec, param, where);
    if (param.in === 'path') {
      pathValues.set(param.name, wireString(example, where));
    } else if (param.in === 'query') {
      if (!includeQuery(spec, param, example)) continue;
      const schema = deref(spec, param.schema);
      const style = param.style ?? 'form';
      if (style !== 'form') throw new Error(`${where}: query parameter ${param.name} has style ${style}; only form is supported`);
      const array = Array.isArray(example);
      const values = array ? (example as unknown[]).map((v) => wireString(v, where)) : [wireString(example, where)];
      // form + explode:false sends one comma-separated value.
      if (array && param.explode === false) query.push({ name: param.name, values: [values.join(',')], array: false, example });
      else query.push({ name: param.name, values, array: array || schema?.type === 'array', example });
    } else if (param.in === 'header') {
      headers.push({ name: param.name, value: wireString(example, where), fresh: false });
    }
  }

  const pathParams: { name: string; value: string }[] = [];
  const path = pathTemplate.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = pathValues.get(name);
    if (value === undefined) throw new Error(`${where}: path parameter {${name}} is not declared`);
    pathParams.push({ name, value });
    return encodeStrict(value);
  });

  const statuses = Object.keys(operation.responses ?? {})
    .filter((s) => /^2\d\d$/.test(s))
    .map(Number)
    .sort((a, b) => a - b);
  if (statuses.length === 0) throw new Error(`${where}: no documented 2xx response`);

  const defaultBaseUrl = spec.servers?.[0]?.url;
  if (typeof defaultBaseUrl !== 'string' || !/^https?:\/\/[\w.:/-]+$/.test(defaultBaseUrl)) {
    throw new Error(`the first server URL must be a plain http(s) URL, got ${JSON.stringify(defaultBaseUrl)}`);
  }

  const body = bodyExample(spec, operation, where);
  return {
    operationId: where,
    method: method.toUpperCase(),
    tag: operation.tags?.[0] ?? '',
    pathTemplate,
    pathParams,
    path,
    query,
    headers,
    ...(body === undefined ? {} : { body }),
    successStatus: statuses[0]!,
    defaultBaseUrl: defaultBaseUrl.replace(/\/$/, ''),
  };
}
