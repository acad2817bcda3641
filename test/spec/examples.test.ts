import { describe, expect, it } from 'vitest';
import { createSpecAjv, SPEC_ID } from '../support/ajv.ts';
import { deref, pointer, spec, walk, type Json } from '../support/spec.ts';

const ajv = createSpecAjv();

interface Case {
  where: string;
  schemaPointer: string;
  value: unknown;
}

/** Every example in the bundled spec, with the schema it must satisfy. */
function collectExamples(): Case[] {
  const cases: Case[] = [];
  walk(spec, (node: Json, keys) => {
    const where = pointer(keys);
    // A parameter, header or media type: `example`/`examples` go with its `schema`.
    if (node.schema && typeof node.schema === 'object') {
      const schemaPointer = `${where}/schema`;
      if ('example' in node) cases.push({ where: `${where}/example`, schemaPointer, value: node.example });
      for (const [name, ex] of Object.entries((node.examples ?? {}) as Record<string, Json>)) {
        const resolved = deref(ex);
        if (resolved && 'value' in resolved) {
          cases.push({ where: `${where}/examples/${name}`, schemaPointer, value: resolved.value });
        }
      }
      return;
    }
    // A schema with its own example (a schema never has `schema` or `in`).
    const isSchemaPosition = keys.includes('schema') || keys.includes('schemas') || keys.includes('properties');
    if (isSchemaPosition && 'example' in node && !('in' in node)) {
      cases.push({ where: `${where}/example`, schemaPointer: where, value: node.example });
    }
  });
  return cases;
}

const cases = collectExamples();

describe('examples in the bundled spec', () => {
  it('are numerous enough that the walk clearly found them', () => {
    expect(cases.length).toBeGreaterThan(150);
  });

  it.each(cases.map((c) => [c.where, c] as const))('%s validates against its schema', (_where, c) => {
    const validate = ajv.compile({ $ref: `${SPEC_ID}#${c.schemaPointer}` });
    const ok = validate(c.value);
    expect(ok, JSON.stringify(validate.errors, null, 2)).toBe(true);
  });
});
