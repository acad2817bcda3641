/** An Ajv (JSON Schema 2020-12, formats on) that knows the bundled spec under SPEC_ID. */
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { spec } from './spec.ts';

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((formatsModule as unknown as { default?: FormatsPlugin }).default ??
  (formatsModule as unknown as FormatsPlugin));

export const SPEC_ID = 'https://clickairtime.test/openapi.json';

export function createSpecAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(spec, SPEC_ID);
  return ajv;
}
