// Validates JSON output lines against a plugin's documented schema (plugins/<id>/schema.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { repoRoot } from '../src/paths.mjs';

export function schemaValidator(pluginId: string): (record: unknown) => string | undefined {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'plugins', pluginId, 'schema.json'), 'utf8'));
  const ajv = new Ajv.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  return (record) => (validate(record) ? undefined : ajv.errorsText(validate.errors));
}
