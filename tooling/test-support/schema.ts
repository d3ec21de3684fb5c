// The record check of @nettrace/plugin-testing for this repository's plugins (plugins/<id>).
import { join } from 'node:path';
import { pluginRecordValidator } from '@nettrace/plugin-testing';
import { repoRoot } from '../src/paths.mjs';

export const schemaValidator = (pluginId: string): ((record: unknown) => string | undefined) =>
  pluginRecordValidator(join(repoRoot, 'plugins', pluginId));
