import { describe, expect, it } from 'vitest';
import { CODES_BY_STATUS, deref, operations, spec, type Json } from '../support/spec.ts';

const errorResponses = operations().flatMap(({ method, path, operation }) =>
  Object.entries(operation.responses as Record<string, Json>)
    .filter(([status]) => Number(status) >= 400)
    .map(([status, response]) => ({ label: `${method.toUpperCase()} ${path} ${status}`, status, response: deref(response) })),
);

describe('error responses', () => {
  it.each(errorResponses.map((r) => [r.label, r] as const))(
    '%s has only examples whose code belongs to its status',
    (_label, { status, response }) => {
      const examples = Object.entries(response.content['application/json'].examples as Record<string, Json>);
      expect(examples.length).toBeGreaterThan(0);
      for (const [name, ex] of examples) {
        const code = deref(ex).value.error.code;
        expect(CODES_BY_STATUS[status], `${name}: ${code}`).toContain(code);
        expect(name, 'example names are the code in snake_case').toBe(code.toLowerCase());
      }
    },
  );

  it('every code of the closed enum has a named example in some shared response', () => {
    const named = new Set(
      Object.values(spec.components.responses as Record<string, Json>).flatMap((r) =>
        Object.keys(r.content['application/json'].examples),
      ),
    );
    const codes: string[] = spec.components.schemas.ErrorCode.enum;
    expect(codes).toHaveLength(17);
    expect([...named].sort()).toEqual(codes.map((c) => c.toLowerCase()).sort());
  });

  it('the closed enum is exactly the codes of the contract table', () => {
    expect([...spec.components.schemas.ErrorCode.enum].sort()).toEqual(Object.values(CODES_BY_STATUS).flat().sort());
  });
});
