// Checks a plugin's JSON output lines against its documented schema: the records every plugin
// prints (@nettrace/core's schema/records.json) joined with what the plugin's schema.json adds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JsonSchema, pluginRecordSchema } from '@nettrace/core';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/** A validator of `pluginId`'s records against `schema` (the plugin's schema.json, parsed):
 * undefined for a valid record, else what is wrong with it. */
export function recordValidator(pluginId: string, schema: JsonSchema): (record: unknown) => string | undefined {
  const ajv = new Ajv.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(pluginRecordSchema(pluginId, schema));
  return (record) => (validate(record) ? undefined : ajv.errorsText(validate.errors));
}

/** recordValidator() of the plugin package in `dir`: its id from package.json, its schema.json. */
export function pluginRecordValidator(dir: string): (record: unknown) => string | undefined {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; nettrace?: { id?: string } };
  const id = pkg.nettrace?.id;
  if (!id) throw new Error(`${pkg.name}: package.json has no nettrace.id (is ${dir} a plugin package?)`);
  return recordValidator(id, JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8')));
}
