// Unit checks every stage-latency plugin shares: the object has every program its hooks name,
// every hook is optional (a profile runs on the stages a kernel has), and configure() writes the
// engine's tables and mode (checked against the profile, with all hooks attached).
import {
  BpfObject,
  type HookPlan,
  NtStageDims,
  type Plugin,
  type Profile,
  parseOptions,
  recordConfig,
  runnerOptions,
} from '@nettrace/core';
import { expect, it } from 'vitest';

export function parseFor(plugin: Plugin) {
  return (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, plugin.id);
}

export function stagePluginChecks(
  plugin: Plugin,
  profile: Profile,
  argv: string[],
  mode: {
    details: boolean;
    aggregate: boolean;
    meta?: boolean;
    /** Options selecting a path whose boundary stages are tracepoints (default: `--direction tx`). */
    degradedArgs?: string[];
    /** Directions `argv` follows (default both; round-trip plugins follow one per run). */
    directions?: ('tx' | 'rx')[];
  },
) {
  it('has every program its hooks name, and every hook is optional', () => {
    // Tests import the plugin from src/; its object is built into dist/.
    const obj = BpfObject.open(plugin.object.pathname.replace('/src/', '/dist/'), { name: plugin.id });
    try {
      const programs = new Set(obj.programs().map((p) => p.name));
      for (const h of plugin.hooks) {
        expect(h.optional, h.name).toBe(true);
        // fentry and kprobe for a function, tp_btf and the classic tracepoint for a tracepoint; a
        // kprobe alone where fentry cannot take the argument (__netif_receive_skb_core's **pskb)
        expect(h.alternatives.length, h.name).toBe(h.name === '__netif_receive_skb_core' ? 1 : 2);
        for (const a of h.alternatives) expect(programs.has(a.program), a.program).toBe(true);
      }
    } finally {
      obj.close();
    }
  });

  it('configure() writes the profile table and the mode', () => {
    const vars = Object.fromEntries(recordConfig(plugin, parseFor(plugin)(argv)).variables) as Record<string, unknown>;
    expect(vars.cfg_stage_details).toBe(mode.details ? 1 : 0);
    expect(vars.cfg_stage_aggregate).toBe(mode.aggregate ? 1 : 0);
    expect(vars.cfg_stage_meta).toBe(mode.meta ? 1 : 0);
    expect(vars.cfg_either_direction).toBe(2);
    const first = vars.cfg_stage_first as Uint8Array;
    const last = vars.cfg_stage_last as Uint8Array;
    for (const [i, d] of (['tx', 'rx'] as const).entries()) {
      const n = mode.directions && !mode.directions.includes(d) ? 0 : (profile[d]?.length ?? 0);
      if (!n) {
        expect(last[i]).toBe(0);
        continue;
      }
      expect(first[i]).toBeGreaterThanOrEqual(1);
      expect(last[i]).toBeLessThanOrEqual(n);
      expect(last[i]).toBeGreaterThan(first[i] as number);
    }
    expect((vars.cfg_stage_of as Uint8Array).every((p) => p <= NtStageDims.NT_STAGE_MAX)).toBe(true);
  });

  it('configure() builds the table from the hooks the plan attached (tracepoints only: fewer stages)', () => {
    // tx: its boundary stages are tracepoints of the physical NIC, which every argv names.
    const values = parseFor(plugin)([...argv, ...(mode.degradedArgs ?? ['--direction', 'tx'])]);
    const tracepointsOnly = {
      hooks: plugin.hooks.map((h) => ({ hook: h.name, chosen: h.name.includes(':') ? {} : undefined })),
    } as unknown as HookPlan;
    const full = Object.fromEntries(recordConfig(plugin, values).variables) as Record<string, Uint8Array>;
    const degraded = Object.fromEntries(recordConfig(plugin, values, tracepointsOnly).variables) as Record<string, Uint8Array>;
    const staged = (t: Uint8Array | undefined) => (t ?? new Uint8Array()).filter((x) => x > 0).length;
    expect(staged(degraded.cfg_stage_of)).toBeGreaterThan(0);
    expect(staged(degraded.cfg_stage_of)).toBeLessThan(staged(full.cfg_stage_of));
  });
}
