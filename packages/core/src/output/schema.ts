// The JSON Schema of a plugin's output lines: the records every plugin prints (header, interval /
// final reports, events and their common fields), defined once in schema/records.json, joined with
// what the plugin's own schema.json adds (`definitions.report`: its sections, `definitions.event`:
// its event fields).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from '../package-dir.js';

export type JsonSchema = { [key: string]: unknown };
type ObjectSchema = JsonSchema & { required?: string[]; properties?: JsonSchema; patternProperties?: JsonSchema };

let records: { definitions: Record<string, ObjectSchema> } | undefined;

/** schema/records.json of @nettrace/core. */
export function recordsSchema(): { definitions: Record<string, ObjectSchema> } {
  records ??= JSON.parse(readFileSync(join(packageDir, 'schema/records.json'), 'utf8'));
  return records!;
}

/** A core record definition with the plugin's additions: properties and required fields merged,
 * any other keyword (additionalProperties, description) taken from the plugin. */
function extend(base: ObjectSchema, id: string, part: ObjectSchema = {}): ObjectSchema {
  return {
    ...base,
    ...part,
    required: [...new Set([...(base.required ?? []), ...(part.required ?? [])])],
    properties: { ...base.properties, ...part.properties, plugin: { const: id } },
    ...(base.patternProperties || part.patternProperties
      ? { patternProperties: { ...base.patternProperties, ...part.patternProperties } }
      : {}),
  };
}

/**
 * The schema of every line plugin `id` prints, from its schema.json (`plugin`). Its definitions
 * `report` and `event` (streaming plugins) extend the core records; its other definitions stay
 * available to its `$ref`s, beside the core's (`#/definitions/histogram`).
 */
export function pluginRecordSchema(id: string, plugin: JsonSchema): JsonSchema {
  const core = recordsSchema().definitions;
  const own = (plugin.definitions ?? {}) as Record<string, ObjectSchema>;
  for (const name of Object.keys(own))
    if (name in core && name !== 'report' && name !== 'event')
      throw new Error(`${id} schema.json: definition '${name}' is the core's (schema/records.json): use it, or rename yours`);
  const { report, event, ...rest } = own;
  const definitions: JsonSchema = {
    ...core,
    ...rest,
    header: extend(core.header, id),
    report: extend(core.report, id, report),
    ...(event ? { event: extend(core.event, id, event) } : {}),
  };
  if (!event) delete definitions.event;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: plugin.title,
    description: plugin.description,
    oneOf: [{ $ref: '#/definitions/header' }, { $ref: '#/definitions/report' }, ...(event ? [{ $ref: '#/definitions/event' }] : [])],
    definitions,
  };
}
