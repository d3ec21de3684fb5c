// The JSON records schema: every plugin's schema.json joins the core's records (the envelope
// defined once in @nettrace/core's schema/records.json), and the joined schema accepts the
// envelope the runner writes and refuses a record of another plugin or one missing a section.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/paths.mjs';
import { schemaValidator } from '../test-support/schema.js';

const plugins = readdirSync(join(repoRoot, 'plugins')).sort();
const header = (plugin: string) => ({
  type: 'header',
  plugin,
  time: '2026-01-01T00:00:00.000Z',
  kernel: '6.1.0-test',
  plan: [{ hook: 'h', optional: false, chosen: { kind: 'tracepoint', target: 'a/b', program: 'nt_x' }, rejected: [] }],
  options: {},
});
const envelope = (plugin: string) => ({
  type: 'final',
  plugin,
  time: '2026-01-01T00:00:01.000Z',
  period_s: 1,
  events: 0,
  lost_events: 0,
  missed_runs: 0,
  degraded: [],
});

describe('plugin record schemas', () => {
  for (const id of plugins) {
    it(`${id}: header accepted, other plugin's header and a report without its sections refused`, () => {
      const validate = schemaValidator(id);
      expect(validate(header(id))).toBeUndefined();
      expect(validate(header('another-plugin'))).toBeDefined();
      expect(validate({ ...header(id), plan: [{ hook: 'h' }] })).toBeDefined();
      const own = JSON.parse(readFileSync(join(repoRoot, 'plugins', id, 'schema.json'), 'utf8'));
      const sections: string[] = own.definitions.report?.required ?? [];
      // The envelope alone is a whole report only for plugins without sections (eth-drop's summary).
      if (sections.length) expect(validate(envelope(id))).toMatch(new RegExp(sections[0]));
      else expect(validate(envelope(id))).toBeUndefined();
      expect(validate({ ...envelope(id), lost_events: -1 })).toBeDefined();
    });
  }
});
