/**
 * Request validation against the spec, with validators compiled once per operation, and the
 * translation of JSON Schema violations (from Ajv or from Prism) into the vendor's codes:
 * `required` → MISSING_REQUIRED_FIELD, a phone number's pattern → INVALID_PHONE_NUMBER,
 * anything about `amount` (or amount vs product_id) → INVALID_AMOUNT, everything else →
 * MISSING_REQUIRED_FIELD, with each problem in `details.fields[]`.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { anchorRefs, createSpecAjv } from './ajv.ts';
import { ApiError, type ErrorCode, type FieldError } from './envelope.ts';
import { deref, type Json, type OperationInfo } from './spec.ts';

type Location = 'query' | 'path' | 'header' | 'body';

/** A violation in a neutral form: where, which keyword, and a sentence. */
export interface Violation {
  location: Location;
  /** Property names from the location's root to the offending value. */
  keys: string[];
  issue: string;
  message: string;
}

/** The parsed, validated input of a request. */
export interface ValidInput {
  query: Record<string, unknown>;
  params: Record<string, unknown>;
  body: unknown;
}

interface ParamGroup {
  validate: ValidateFunction;
  /** Lower-cased header name → the spelling the spec uses, for messages. */
  names: Map<string, string>;
}

interface BodyBranch {
  /** Properties only this branch requires (chooses the branch). */
  marker: string[];
  validate: ValidateFunction;
}

interface OperationValidator {
  query?: ParamGroup;
  path?: ParamGroup;
  header?: ParamGroup;
  body?: { required: boolean; validate?: ValidateFunction; branches?: BodyBranch[] };
}

const PHONE_MESSAGE = 'must be E.164 with a leading plus, e.g. +233541112259.';

function dotted(location: Location, keys: readonly string[]): string {
  return [location, ...keys].join('.');
}

function sentence(v: Violation): string {
  const name = v.keys.length > 0 ? v.keys.join('.') : v.location;
  if (v.issue === 'required') return `${name} is required.`;
  if (v.issue === 'oneOf') return v.message;
  if (v.issue === 'pattern' && v.keys.at(-1) === 'phone_number') return `${name} ${PHONE_MESSAGE}`;
  return `${name} ${v.message.replace(/\.$/, '')}.`;
}

/** The vendor code for a set of violations (the most specific one wins). */
export function codeFor(violations: readonly Violation[]): ErrorCode {
  if (violations.some((v) => v.issue === 'required')) return 'MISSING_REQUIRED_FIELD';
  if (violations.some((v) => v.keys.at(-1) === 'phone_number' && (v.issue === 'pattern' || v.issue === 'type'))) {
    return 'INVALID_PHONE_NUMBER';
  }
  if (violations.some((v) => v.location === 'body' && v.keys[0] === 'amount')) return 'INVALID_AMOUNT';
  return 'MISSING_REQUIRED_FIELD';
}

/** The `ApiError` a set of violations earns. */
export function violationsError(violations: readonly Violation[]): ApiError {
  const seen = new Set<string>();
  const fields: FieldError[] = [];
  for (const v of violations) {
    const field = dotted(v.location, v.keys);
    const id = `${field}\u0000${v.issue}`;
    if (seen.has(id)) continue;
    seen.add(id);
    fields.push({ field, issue: v.issue, message: sentence(v) });
  }
  const code = codeFor(violations);
  // The headline is the first problem of the kind the code names.
  const lead =
    fields.find((f) =>
      code === 'INVALID_PHONE_NUMBER'
        ? f.field.endsWith('phone_number')
        : code === 'INVALID_AMOUNT'
          ? f.field.startsWith('body.amount')
          : true,
    ) ?? fields[0];
  return new ApiError(code, lead?.message ?? 'The request is not valid.', { fields });
}

/** Ajv errors to violations, dropping the branch noise of `anyOf`/`oneOf` when the combinator itself failed. */
export function fromAjv(location: Location, errors: readonly ErrorObject[] | null | undefined): Violation[] {
  if (!errors) return [];
  const combinators = new Set(
    errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath),
  );
  const out: Violation[] = [];
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && combinators.has(e.instancePath) && /\/(anyOf|oneOf)\//.test(e.schemaPath)) {
      continue;
    }
    const keys = e.instancePath
      .split('/')
      .slice(1)
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (e.keyword === 'required') keys.push(String((e.params as { missingProperty: string }).missingProperty));
    if (e.keyword === 'additionalProperties') {
      keys.push(String((e.params as { additionalProperty: string }).additionalProperty));
      out.push({ location, keys, issue: 'additionalProperties', message: 'is not a known field' });
      continue;
    }
    out.push({ location, keys, issue: e.keyword, message: e.message ?? 'is not valid' });
  }
  return out;
}

/** Prism's violations (`{ path: ['body','phone_number'], code: 'pattern', message }`) to violations. */
export function fromPrism(violations: readonly { path?: unknown[]; code?: unknown; message?: string }[]): Violation[] {
  return violations.map((v) => {
    const [first, ...rest] = (v.path ?? []).map(String);
    const location: Location = first === 'query' || first === 'path' || first === 'header' ? first : 'body';
    const keys = first === location ? rest : (v.path ?? []).map(String);
    const issue = String(v.code ?? 'invalid');
    const message = v.message ?? 'is not valid';
    // Prism names the missing or unknown property only in its message.
    const named = /property '([^']+)'/.exec(message)?.[1];
    if ((issue === 'required' || issue === 'additionalProperties') && named) keys.push(named);
    return { location, keys, issue, message: issue === 'required' ? 'is required' : message.replace(/^Request \w+ /, '') };
  });
}

function paramGroup(ajv: ReturnType<typeof createSpecAjv>, params: Json[], lower: boolean): ParamGroup | undefined {
  if (params.length === 0) return undefined;
  const properties: Json = {};
  const required: string[] = [];
  const names = new Map<string, string>();
  for (const p of params) {
    const key = lower ? String(p.name).toLowerCase() : String(p.name);
    names.set(key, p.name);
    properties[key] = anchorRefs(p.schema ?? {});
    if (p.required) required.push(key);
  }
  return { validate: ajv.compile({ type: 'object', properties, required }), names };
}

/** Compiles every operation's request validators once. */
export class RequestValidator {
  private readonly byOperation = new Map<string, OperationValidator>();

  constructor(spec: Json, ops: readonly OperationInfo[]) {
    const coercing = createSpecAjv(spec, { coerce: true });
    const strict = createSpecAjv(spec);
    for (const op of ops) {
      const params: Json[] = (op.operation.parameters ?? []).map((p: Json) => deref(spec, p));
      const v: OperationValidator = {};
      const q = paramGroup(coercing, params.filter((p) => p.in === 'query'), false);
      const pa = paramGroup(coercing, params.filter((p) => p.in === 'path'), false);
      const h = paramGroup(coercing, params.filter((p) => p.in === 'header'), true);
      if (q) v.query = q;
      if (pa) v.path = pa;
      if (h) v.header = h;
      const rb = op.operation.requestBody ? deref(spec, op.operation.requestBody) : undefined;
      const schema = rb?.content?.['application/json']?.schema;
      if (schema) {
        const resolved = deref(spec, schema);
        if (Array.isArray(resolved.oneOf)) {
          // Validate against the branch the body chose, so its errors are about that branch only.
          const branchSchemas: Json[] = resolved.oneOf.map((b: Json) => deref(spec, b));
          const branches = resolved.oneOf.map((b: Json, i: number): BodyBranch => {
            const own: string[] = branchSchemas[i].required ?? [];
            const others = new Set(branchSchemas.filter((_, j) => j !== i).flatMap((s) => s.required ?? []));
            return { marker: own.filter((r) => !others.has(r)), validate: strict.compile(anchorRefs(b)) };
          });
          v.body = { required: rb.required === true, branches };
        } else {
          v.body = { required: rb.required === true, validate: strict.compile(anchorRefs(schema)) };
        }
      }
      this.byOperation.set(op.operationId, v);
    }
  }

  /** Whether the operation takes a JSON body. */
  takesBody(operationId: string): boolean {
    return this.byOperation.get(operationId)?.body !== undefined;
  }

  /**
   * Validates (and coerces) a request's query, path parameters, headers and body.
   * Throws the translated `ApiError` on any violation.
   */
  validate(
    operationId: string,
    query: Record<string, string>,
    params: Record<string, string>,
    headers: Record<string, string | string[] | undefined>,
    body: unknown,
    hasBody: boolean,
  ): ValidInput {
    const v = this.byOperation.get(operationId);
    const violations: Violation[] = [];
    const q: Record<string, unknown> = { ...query };
    const p: Record<string, unknown> = { ...params };
    if (v?.query && !v.query.validate(q)) violations.push(...fromAjv('query', v.query.validate.errors));
    if (v?.path && !v.path.validate(p)) violations.push(...fromAjv('path', v.path.validate.errors));
    if (v?.header) {
      const h: Record<string, unknown> = {};
      for (const name of v.header.names.keys()) {
        const value = headers[name];
        if (value !== undefined) h[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      if (!v.header.validate(h)) {
        for (const viol of fromAjv('header', v.header.validate.errors)) {
          viol.keys = viol.keys.map((k) => v.header?.names.get(k) ?? k);
          violations.push(viol);
        }
      }
    }
    if (v?.body) {
      if (!hasBody) {
        if (v.body.required) violations.push({ location: 'body', keys: [], issue: 'required', message: 'is required' });
      } else if (v.body.validate) {
        if (!v.body.validate(body)) violations.push(...fromAjv('body', v.body.validate.errors));
      } else if (v.body.branches) {
        violations.push(...this.validateBranches(v.body.branches, body));
      }
    }
    if (violations.length > 0) throw violationsError(violations);
    return { query: q, params: p, body };
  }

  private validateBranches(branches: BodyBranch[], body: unknown): Violation[] {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return [{ location: 'body', keys: [], issue: 'type', message: 'must be a JSON object' }];
    }
    const present = branches.filter((b) => b.marker.length > 0 && b.marker.some((m) => m in body));
    if (present.length !== 1) {
      const markers = branches.flatMap((b) => b.marker);
      const message =
        present.length === 0
          ? `Give exactly one of ${markers.join(' or ')}.`
          : `Give only one of ${markers.join(' or ')}, not both.`;
      // CONTRACT.md: both or neither of amount/product_id is an amount problem.
      return [{ location: 'body', keys: [markers[0] ?? 'body'], issue: 'oneOf', message }];
    }
    const branch = present[0]!;
    return branch.validate(body) ? [] : fromAjv('body', branch.validate.errors);
  }
}
