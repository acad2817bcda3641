/** Ajv instances (JSON Schema 2020-12, formats on) that know the bundled spec under {@link SPEC_ID}. */
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import type { Json } from './spec.ts';

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const addFormats =
  (formatsModule as unknown as { default?: FormatsPlugin }).default ?? (formatsModule as unknown as FormatsPlugin);

/** The id the spec is registered under, so `SPEC_ID#/components/schemas/X` resolves. */
export const SPEC_ID = 'https://clickairtime.test/openapi.json';

/**
 * An Ajv that knows the spec. `coerce` turns query, path and header strings into the
 * integers and numbers their schemas ask for; bodies are validated without it.
 */
export function createSpecAjv(spec: Json, { coerce = false } = {}): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes: coerce, useDefaults: coerce });
  addFormats(ajv);
  ajv.addSchema(spec, SPEC_ID);
  return ajv;
}

/** A copy of a schema fragment taken from the spec, with its local `$ref`s pointed at {@link SPEC_ID}. */
export function anchorRefs(node: Json): Json {
  if (Array.isArray(node)) return node.map(anchorRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#') ? SPEC_ID + v : anchorRefs(v);
  }
  return out;
}
