// Validates JSON output lines against a plugin's documented schema: the records every plugin
// prints (@nettrace/core's schema/records.json) joined with what plugins/<id>/schema.json adds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pluginRecordSchema } from '@nettrace/core';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { repoRoot } from '../src/paths.mjs';

export function schemaValidator(pluginId: string): (record: unknown) => string | undefined {
  const own = JSON.parse(readFileSync(join(repoRoot, 'plugins', pluginId, 'schema.json'), 'utf8'));
  const ajv = new Ajv.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(pluginRecordSchema(pluginId, own));
  return (record) => (validate(record) ? undefined : ajv.errorsText(validate.errors));
}
