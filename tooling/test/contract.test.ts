// The object → TypeScript contract: what @nettrace/plugin-tools' gen-contract.mjs reads from a compiled object
// (program sections from libbpf, variables and the NT_COUNTERS enum from BTF), the program-pair
// macros of bpf-headers/nettrace/function.bpf.h, hook resolution by section, and the manifest
// writer's check of a plugin definition against its object.
import { join } from 'node:path';
import * as core from '@nettrace/core';
import { definePlugin, functionHook, tracepointHook } from '@nettrace/core';
import { transformSync } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBpf } from '../src/bpf-build.mjs';
import { checkAgainstObject, generateContract, generateDecoders } from '@nettrace/plugin-tools';
import { repoRoot } from '../src/paths.mjs';

const dir = join(repoRoot, 'tooling/test/fixtures/contract');
let obj: string;
let contract: core.ObjectContract;

beforeAll(async () => {
  [obj] = buildBpf(dir);
  const text = await generateContract(obj, 'contract_probe.bpf.c');
  const js = transformSync(text, { loader: 'ts', format: 'esm' }).code.replace('import.meta.url', JSON.stringify(`file://${obj}`));
  contract = (await import(`data:text/javascript,${encodeURIComponent(js)}`)).contract;
});

describe('generated contract', () => {
  it('lists every program with its section, as the macros declared them', () => {
    expect(contract.programs).toEqual({
      nt_cp_fe_xmit: 'fentry/dev_queue_xmit',
      nt_cp_kp_xmit: 'kprobe/dev_queue_xmit',
      nt_cp_fe_rcv: 'fentry/ip_rcv',
      nt_cp_kp_rcv: 'kprobe/ip_rcv',
      nt_cp_fx_rcv: 'fexit/ip_rcv',
      nt_cp_kr_rcv: 'kretprobe/ip_rcv',
      nt_cp_kp_ld: 'kprobe/ip_local_deliver',
    });
  });
  it('reads variables with their types, maps, and the counter names of NT_COUNTERS', () => {
    expect(contract.variables).toMatchObject({
      cfg_limit: { section: '.rodata', type: 'u32', size: 4 },
      cfg_addr: { section: '.rodata', type: 'u8[16]', size: 16 },
      seen_total: { section: '.bss', type: 'u64', size: 8 },
    });
    expect(Object.keys(contract.variables).some((v) => v.startsWith('__nt'))).toBe(false);
    expect(contract.maps.counters).toMatchObject({ type: 'percpu_array', maxEntries: 2 });
    expect(contract.counters).toEqual(['calls', 'bytes_seen']);
  });
  it('turns a listed enum into a const object', () => {
    expect(generateDecoders(obj, ['probe_kind'], 'x')).toMatch(/export const ProbeKind = \{\n {2}KIND_ONE: 1,\n {2}KIND_TWO: 2,\n\} as const;/);
  });
});

describe('hooks resolved from the contract', () => {
  it('functionHook: fentry then kprobe, fexit then kretprobe, one kind only, tracepoint fallback', () => {
    const plugin = definePlugin({
      id: 'contract-probe',
      summary: 's',
      contract,
      options: {},
      hooks: [
        functionHook('xmit', 'dev_queue_xmit', { module: 'm' }),
        functionHook('rcv-ret', 'ip_rcv', { exit: true }),
        functionHook('rcv', 'ip_rcv', { only: 'kprobe' }),
      ],
      output: { kind: 'report', collect: () => ({ sections: [] }) },
    });
    expect(plugin.hooks.map((h) => h.alternatives.map((a) => `${a.kind}:${a.program}:${a.target}:${a.module ?? ''}`))).toEqual([
      ['fentry:nt_cp_fe_xmit:dev_queue_xmit:m', 'kprobe:nt_cp_kp_xmit:dev_queue_xmit:m'],
      ['fexit:nt_cp_fx_rcv:ip_rcv:', 'kretprobe:nt_cp_kr_rcv:ip_rcv:'],
      ['kprobe:nt_cp_kp_rcv:ip_rcv:'],
    ]);
  });
  it('a hook without programs, or on an option that does not exist, is refused when the plugin is defined', () => {
    const base = { id: 'contract-probe', summary: 's', contract, options: {}, output: { kind: 'report' as const, collect: () => ({ sections: [] }) } };
    expect(() => definePlugin({ ...base, hooks: [tracepointHook('t', 'net/netif_receive_skb')] } as never)).toThrow(
      /no program for tracepoint net\/netif_receive_skb/,
    );
    expect(() => definePlugin({ ...base, hooks: [functionHook('f', 'ip_rcv', { when: 'nope' })] } as never)).toThrow(/when 'nope' is not an option/);
  });
  it('activeHooks keeps a when-gated hook only while its option is set', () => {
    const hooks = [
      { name: 'a', alternatives: [{}] },
      { name: 'b', when: 'read', alternatives: [{}] },
    ];
    expect(core.activeHooks(hooks, { read: false }).map((h) => h.name)).toEqual(['a']);
    expect(core.activeHooks(hooks, {}).map((h) => h.name)).toEqual(['a']);
    expect(core.activeHooks(hooks, { read: true }).map((h) => h.name)).toEqual(['a', 'b']);
  });
  it('activeHooks drops the ladder rungs an option set in the run rules out (unless)', () => {
    const hooks = [{ name: 'x', alternatives: [{ kind: 'fentry', unless: 'wire' }, { kind: 'kprobe', unless: 'wire' }, { kind: 'tracepoint' }] }];
    expect(core.activeHooks(hooks, {})[0].alternatives.map((a) => a.kind)).toEqual(['fentry', 'kprobe', 'tracepoint']);
    expect(core.activeHooks(hooks, { wire: false })[0].alternatives.map((a) => a.kind)).toEqual(['fentry', 'kprobe', 'tracepoint']);
    expect(core.activeHooks(hooks, { wire: true })[0].alternatives.map((a) => a.kind)).toEqual(['tracepoint']);
  });
});

describe('manifest check against the object', () => {
  it('names hook programs and written variables the object lacks', () => {
    const plugin = {
      id: 'p',
      contract,
      options: { limit: { kind: 'uint', long: 'limit', description: 'd', rodata: 'cfg_limit' }, gone: { kind: 'ip', long: 'gone', description: 'd', rodata: 'cfg_gone' } },
      hooks: [{ name: 'h', alternatives: [{ program: 'nt_cp_missing', kind: 'kprobe', target: 'x' }] }],
      configure: (cfg: core.Configurer) => cfg.set('cfg_removed', 1),
    } as unknown as core.Plugin;
    expect(checkAgainstObject(core, plugin, obj)).toEqual([
      'hook h: the object has no program nt_cp_missing',
      'the object has no variable cfg_gone',
      'the object has no variable cfg_gone_set',
      'the object has no variable cfg_gone_family',
      'the object has no variable cfg_removed',
    ]);
  });
});
