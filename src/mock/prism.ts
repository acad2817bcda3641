/**
 * Plain mode: Prism answers from the spec's examples when a request asks for a documented
 * response with `Prefer: code=...` and/or `Prefer: example=...`. Only the operation our router
 * matched is passed in (no all-operations scan), and each call gets a fresh `mock` config
 * because Prism writes the negotiated media type into it.
 */
import { createLogger } from '@stoplight/prism-core';
import { createInstance, getHttpOperationsFromSpec, type IHttpConfig } from '@stoplight/prism-http';
import { isLeft } from 'fp-ts/lib/Either.js';
import { ApiError } from './envelope.ts';
import type { Json } from './spec.ts';
import { fromPrism, violationsError } from './validation.ts';

/** What a request asks Prism for. */
export interface Preference {
  code?: number;
  exampleKey?: string;
  dynamic?: boolean;
}

/** Parses `Prefer: code=409, example=duplicate` (also `;`-separated). `undefined` when it asks for nothing Prism does. */
export function parsePrefer(header: string | string[] | undefined): Preference | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!/\b(code|example|dynamic)=/.test(text)) return undefined;
  const pref: Preference = {};
  for (const part of text.split(/[,;]/)) {
    const [rawName, ...rest] = part.split('=');
    const name = rawName?.trim().toLowerCase();
    const value = rest.join('=').trim().replace(/^"(.*)"$/, '$1');
    if (name === 'code') pref.code = /^\d{3}$/.test(value) ? Number(value) : Number.NaN;
    else if (name === 'example') pref.exampleKey = value;
    else if (name === 'dynamic') pref.dynamic = value === 'true';
  }
  return pref;
}

/** A mocked response. */
export interface PrismAnswer {
  status: number;
  body: unknown;
}

/** Prism's HTTP mocker over the bundled spec. */
export class PlainMode {
  private constructor(
    private readonly prism: ReturnType<typeof createInstance>,
    private readonly operations: Map<string, Json>,
  ) {}

  static async create(spec: Json): Promise<PlainMode> {
    const ops = await getHttpOperationsFromSpec(structuredClone(spec));
    const logger = createLogger('MOCK', { level: 'silent' } as never);
    const prism = createInstance(config({}), { logger });
    return new PlainMode(prism, new Map(ops.map((o) => [o.iid ?? o.id, o])));
  }

  /**
   * Asks Prism for the preferred response of one operation. Prism's validation violations and its
   * errors (an undeclared code, an unknown example, an unmet Accept) come back as vendor `ApiError`s.
   */
  async answer(
    operationId: string,
    pref: Preference,
    request: { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body: unknown },
  ): Promise<PrismAnswer> {
    const operation = this.operations.get(operationId);
    if (!operation) throw new Error(`plain mode: no Prism operation ${operationId}`);
    if (pref.code !== undefined && Number.isNaN(pref.code)) throw preferError('code must be a three-digit HTTP status.');
    const input = {
      method: request.method.toLowerCase() as 'get',
      url: { path: request.path, query: request.query },
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
    };
    const result = await this.prism.request(input, [operation], config(pref))();
    if (isLeft(result)) {
      const err = result.left as { status?: number; detail?: string; message?: string };
      if (err.status === 406 || /NOT_ACCEPTABLE/.test(err.message ?? '')) {
        const text = 'Accept must allow application/json.';
        throw new ApiError('MISSING_REQUIRED_FIELD', text, { fields: [{ field: 'header.Accept', issue: 'enum', message: text }] });
      }
      throw preferError(err.detail ?? 'Prism could not produce the preferred response.');
    }
    const violations = (result.right.validations?.input ?? []) as { path?: unknown[]; code?: unknown; message?: string; severity?: number }[];
    const errors = violations.filter((v) => v.severity === undefined || v.severity === 0);
    if (errors.length > 0) throw violationsError(fromPrism(errors));
    return { status: result.right.output.statusCode, body: result.right.output.body };
  }
}

function preferError(message: string): ApiError {
  const text = `Prefer: ${message}`;
  return new ApiError('MISSING_REQUIRED_FIELD', text, { fields: [{ field: 'header.Prefer', issue: 'enum', message: text }] });
}

function config(pref: Preference): IHttpConfig {
  return {
    validateRequest: true,
    validateResponse: false,
    checkSecurity: false,
    errors: false,
    upstreamProxy: undefined,
    isProxy: false,
    mock: {
      dynamic: pref.dynamic ?? false,
      ...(pref.code !== undefined ? { code: pref.code } : {}),
      ...(pref.exampleKey !== undefined ? { exampleKey: pref.exampleKey } : {}),
    },
  } as IHttpConfig;
}
