/**
 * Self-check mode: every response the mock sends is checked against the spec (the status is one
 * the operation declares, the body matches that response's schema, the required headers are
 * there) and each mismatch is recorded. Tests start the mock with it on and fail on any record.
 */
import type { ValidateFunction } from 'ajv';
import { anchorRefs, createSpecAjv, SPEC_ID } from './ajv.ts';
import { deref, type Json, type OperationInfo } from './spec.ts';

/** One response that does not match the spec. */
export interface Mismatch {
  operationId: string | null;
  method: string;
  path: string;
  status: number;
  problems: string[];
}

interface ResponseRule {
  validate?: ValidateFunction;
  headers: string[];
}

/** Compiled response validators per operation and status. */
export class ResponseChecker {
  private readonly rules = new Map<string, Map<string, ResponseRule>>();
  private readonly errorEnvelope: ValidateFunction;
  readonly mismatches: Mismatch[] = [];
  checked = 0;

  constructor(spec: Json, ops: readonly OperationInfo[]) {
    const ajv = createSpecAjv(spec);
    this.errorEnvelope = ajv.compile({ $ref: `${SPEC_ID}#/components/schemas/Error` });
    for (const op of ops) {
      const byStatus = new Map<string, ResponseRule>();
      for (const [status, ref] of Object.entries(op.operation.responses ?? {})) {
        const response = deref(spec, ref);
        const schema = response?.content?.['application/json']?.schema;
        const headers = Object.entries(response?.headers ?? {})
          .filter(([, h]) => deref(spec, h)?.required === true)
          .map(([name]) => name.toLowerCase());
        byStatus.set(status, { ...(schema ? { validate: ajv.compile(anchorRefs(schema)) } : {}), headers });
      }
      this.rules.set(op.operationId, byStatus);
    }
  }

  /**
   * Checks one response. Without an operation (unknown route, transport-level error) the body must
   * still be the error envelope.
   */
  check(
    op: OperationInfo | undefined,
    method: string,
    path: string,
    status: number,
    headers: Record<string, string | number>,
    body: string,
  ): void {
    this.checked++;
    const problems: string[] = [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      problems.push('body is not JSON');
    }
    const lower = new Set(Object.keys(headers).map((h) => h.toLowerCase()));
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
      if (!lower.has(h)) problems.push(`header ${h} missing`);
    }
    if (status === 429 && !lower.has('retry-after')) problems.push('header retry-after missing on 429');
    if (!op) {
      if (status < 400) problems.push(`status ${status} without an operation`);
      if (parsed !== undefined && !this.errorEnvelope(parsed)) {
        problems.push(`not the error envelope: ${JSON.stringify(this.errorEnvelope.errors)}`);
      }
    } else {
      const rule = this.rules.get(op.operationId)?.get(String(status));
      if (!rule) {
        problems.push(`status ${status} is not declared for ${op.operationId}`);
      } else {
        for (const h of rule.headers) if (!lower.has(h)) problems.push(`header ${h} missing`);
        if (rule.validate && parsed !== undefined && !rule.validate(parsed)) {
          problems.push(`body does not match the schema: ${JSON.stringify(rule.validate.errors)}`);
        }
      }
    }
    if (problems.length > 0) {
      this.mismatches.push({ operationId: op?.operationId ?? null, method, path, status, problems });
    }
  }
}
