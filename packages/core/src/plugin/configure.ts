// Applies option values to the object before load: the shared filter options write the rodata of
// bpf-headers/nettrace/filter.bpf.h; then the plugin's own configure() runs on a recorder.

import type { BpfObject } from '../bpf/object.js';
import { UsageError } from '../errors.js';
import type { IpAddress } from '../kernel/net.js';
import type { Configurer, Plugin } from './contract.js';
import { type FlowRule, flowRulesRodata, flowRulesVariables } from './flow-rules.js';
import type { OptionSpec, OptionsSchema } from './options.js';
import type { HookPlan } from './planner.js';

export interface RecordedConfig {
  variables: [string, number | bigint | boolean | Uint8Array][];
  maxEntries: [string, number][];
}

/** Records what the plugin configures; `plan` tells configure() which hooks are attached (all of
 * them when omitted). */
export function recordConfig(plugin: Plugin, values: Record<string, unknown>, plan?: HookPlan): RecordedConfig {
  const rec: RecordedConfig = { variables: [], maxEntries: [] };
  const cfg: Configurer = {
    set: (variable, value) => rec.variables.push([variable, value]),
    maxEntries: (map, n) => rec.maxEntries.push([map, n]),
  };
  sharedFilters(plugin, values, cfg);
  const attached = (hook: string) => !plan || plan.hooks.some((h) => h.hook === hook && h.chosen);
  plugin.configure?.(cfg, values as never, { attached });
  return rec;
}

function sharedFilters(plugin: Plugin, values: Record<string, unknown>, cfg: Configurer): void {
  for (const [key, spec] of Object.entries(plugin.options as OptionsSchema)) {
    const value = values[key];
    if (!spec.rodata || value === undefined) continue;
    if (spec.kind === 'ip') {
      const ip = value as IpAddress;
      cfg.set(`${spec.rodata}_set`, 1);
      cfg.set(`${spec.rodata}_family`, ip.family);
      cfg.set(spec.rodata, ip.bytes);
    } else if (spec.kind === 'interface') {
      cfg.set(spec.rodata, (value as { ifindex: number }).ifindex);
    } else if (spec.kind === 'flow-rules') {
      // The arrays' length in this object is the rule limit (one byte of protocol per rule).
      const limit = plugin.contract.variables[`${spec.rodata}_protocol`]?.size ?? 0;
      for (const [name, v] of flowRulesRodata(value as FlowRule[], spec.rodata, limit, `--${spec.long}`)) cfg.set(name, v);
    } else if (spec.kind === 'netns') {
      cfg.set(spec.rodata, (value as { inode: number }).inode);
    } else if (spec.kind === 'string' && typeof value === 'string') {
      cfg.set(spec.rodata, cString(value, plugin.contract.variables[spec.rodata]?.size ?? 16, `--${spec.long}`));
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      cfg.set(spec.rodata, value);
    }
  }
}

/** The object variables an option with `rodata` writes (the build checks the object has them). */
export function optionVariables(spec: OptionSpec): string[] {
  if (!spec.rodata) return [];
  if (spec.kind === 'ip') return [spec.rodata, `${spec.rodata}_set`, `${spec.rodata}_family`];
  if (spec.kind === 'flow-rules') return flowRulesVariables(spec.rodata);
  return [spec.rodata];
}

export function applyConfig(obj: BpfObject, rec: RecordedConfig): void {
  for (const [name, value] of rec.variables) obj.setVariable(name, value);
  for (const [map, n] of rec.maxEntries) obj.setMaxEntries(map, n);
}

/** A name as the kernel's NUL-terminated char array of `size` bytes (a comm: 16). */
function cString(text: string, size: number, flag: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  if (!bytes.length || bytes.length >= size)
    throw new UsageError(`${flag}: '${text.slice(0, 60)}' must be 1 to ${size - 1} bytes (the kernel keeps task names to ${size - 1})`);
  const out = new Uint8Array(size);
  out.set(bytes);
  return out;
}
