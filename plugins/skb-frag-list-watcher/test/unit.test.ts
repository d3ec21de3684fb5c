// Unit: options → rodata (filters in the kernel, --gso-only, --exclude-access, stacks), the hooks
// (entry/return pairs, the GRO return's tracepoint rung) and the event decoder over golden bytes.
import { parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import plugin, { FUNCTIONS, KINDS, row } from '../src/index.js';
import { decodeFlEvent, FlEventOffsets, FlEventSize, FlFunc } from '../src/skb_frag_list_watcher.gen.js';

const parse = (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, 't');
const vars = (argv: string[]) => Object.fromEntries(recordConfig(plugin, parse(argv)).variables);

describe('skb-frag-list-watcher configure', () => {
  it('writes the filters and flags the BCC tool takes (all applied in the kernel)', () => {
    expect(vars(['--src-ip', '10.0.0.1', '--dst-port', '53', '--gso-only', '--exclude-access', '--stack-trace'])).toMatchObject({
      cfg_src_ip_set: 1,
      cfg_dst_port: 53,
      cfg_gso_only: true,
      cfg_exclude_access: true,
      cfg_stack: true,
    });
    expect(vars([])).toMatchObject({ cfg_gso_only: false, cfg_exclude_access: false, cfg_stack: false });
  });
});

describe('skb-frag-list-watcher hooks', () => {
  it('pairs every function entry with its return; only the GRO return (with its tracepoint rungs) is required', () => {
    const returns = plugin.hooks.filter((h) => h.name.endsWith(' return'));
    expect(returns.map((h) => h.name.replace(/ return$/, ''))).toEqual(Object.values(FUNCTIONS).slice(0, 8));
    for (const r of returns) {
      const fn = r.name.replace(/ return$/, '');
      const entry = plugin.hooks.find((h) => h.name === fn);
      expect(entry?.pairedWith).toEqual({ hook: r.name, target: fn });
      expect(entry?.alternatives.map((a) => a.kind)).toEqual(['fentry', 'kprobe']);
    }
    expect(plugin.hooks.filter((h) => !h.optional && !h.pairedWith).map((h) => [h.name, h.alternatives.map((a) => a.kind)])).toEqual([
      ['skb_gro_receive_list return', ['fexit', 'kretprobe', 'tp_btf', 'tracepoint']],
    ]);
    const segment = plugin.hooks.find((h) => h.name === 'skb_segment');
    expect(segment?.alternatives.map((a) => `${a.kind}:${a.target}`)).toEqual([
      'fentry:skb_segment',
      'kprobe:skb_segment',
      'tp_btf:net/net_dev_start_xmit',
      'tracepoint:net/net_dev_start_xmit',
    ]);
  });
  it('names every function of enum fl_func and every kind of enum fl_kind', () => {
    expect(Object.keys(FUNCTIONS)).toHaveLength(FlFunc.FL_FUNCS);
    expect(KINDS).toEqual(['CREATE', 'CLEAR', 'MODIFY', 'ACCESS', 'INCONSISTENT', 'SEEN']);
  });
});

describe('event decoder', () => {
  it('decodes golden bytes into a row', () => {
    const bytes = new Uint8Array(FlEventSize);
    const v = new DataView(bytes.buffer);
    const O = FlEventOffsets;
    v.setBigUint64(O.skb, 0xffff888001234500n, true);
    v.setBigUint64(O.frag_before, 0xffff888001234600n, true);
    v.setUint32(O.gso_type_before, (1 << 17) | (1 << 18), true); // UDP_L4 | FRAGLIST
    v.setUint16(O.gso_segs_before, 39, true);
    v.setInt32(O.stack_id, -1, true);
    bytes[O.func] = FlFunc.FL_SEGMENT_LIST;
    bytes[O.kind] = 1; // CLEAR
    bytes.set(new TextEncoder().encode('eth1\0'), O.ifname);
    v.setUint32(O.ifindex, 3, true);
    bytes[O.flow] = 2;
    bytes[O.flow + 1] = 17;
    v.setUint16(O.flow + 4, 5311, true);
    bytes.set([10, 0, 0, 1], O.flow + 8);
    const ctx = {} as Parameters<typeof row>[1];
    expect(row(decodeFlEvent(v, 0), ctx)).toMatchObject({
      kind: 'CLEAR',
      func: 'skb_segment_list',
      skb: '0xffff888001234500',
      frag_list_before: '0xffff888001234600',
      frag_list_after: null,
      gso_type_before: ['UDP_L4', 'FRAGLIST'],
      gso_type_after: [],
      gso_segs_before: 39,
      interface: 'eth1',
      protocol: 'udp',
      src_ip: '10.0.0.1',
      dst_port: 5311,
    });
  });
});
