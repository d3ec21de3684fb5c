// Unit: options → rodata (BCC's either-direction match, stacks), the hooks (entry/return pairs,
// the per-kernel destroy function, the packet hook's tracepoint rungs) and the event decoder over
// golden bytes (labels for ctinfo, TCP state, status bits, verdict, TCP flags).
import { parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import plugin, { POINTS, row } from '../src/index.js';
import { CtEventOffsets, CtEventSize, CtPoint, decodeCtEvent } from '../src/trace_conntrack.gen.js';

const parse = (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, 't');
const vars = (argv: string[]) => Object.fromEntries(recordConfig(plugin, parse(argv)).variables);

describe('trace-conntrack configure', () => {
  it('matches filters in either direction (BCC reverse match); stacks only with --stack true', () => {
    expect(vars(['--src-ip', '10.0.0.1', '--protocol', 'udp'])).toMatchObject({
      cfg_either_direction: 1,
      cfg_stack: false,
      cfg_protocol: 17,
    });
    expect(vars(['--stack', 'true']).cfg_stack).toBe(true);
    expect(() => parse(['--stack', 'yes'])).toThrow(/--stack/);
  });
  it('notes what differs from BCC: stacks off by default', () => {
    expect(plugin.notes?.(parse([]))).toEqual([expect.stringMatching(/--stack true/)]);
    expect(plugin.notes?.(parse(['--stack', 'true']))).toEqual([]);
  });
});

describe('trace-conntrack hooks', () => {
  it('pairs entries with returns; only the packet hook (with its tracepoint rungs) is required', () => {
    const byName = Object.fromEntries(plugin.hooks.map((h) => [h.name, h]));
    for (const fn of ['nf_conntrack_in', 'nf_conntrack_tcp_packet', '__nf_conntrack_confirm']) {
      expect(byName[fn].pairedWith).toEqual({ hook: `${fn} return`, target: fn });
      expect(byName[fn].alternatives.map((a) => a.kind)).toEqual(['fentry', 'kprobe']);
    }
    expect(byName['nf_conntrack_in return'].alternatives.map((a) => a.kind)).toEqual(['fexit', 'kretprobe', 'tp_btf', 'tracepoint']);
    expect(byName['entry destroyed'].alternatives.map((a) => `${a.kind}:${a.target}`)).toEqual([
      'fentry:nf_ct_destroy',
      'kprobe:nf_ct_destroy',
      'fentry:destroy_conntrack',
      'kprobe:destroy_conntrack',
    ]);
    expect(plugin.hooks.filter((h) => !h.optional && !h.pairedWith).map((h) => h.name)).toEqual(['nf_conntrack_in return']);
    // Conntrack functions in nf_conntrack, the OVS ones in openvswitch, by module on every rung.
    const modules = (names: string[]) =>
      new Set(plugin.hooks.filter((h) => names.some((n) => h.name.startsWith(n))).flatMap((h) => h.alternatives.map((a) => a.module)));
    expect(modules(['ovs_ct_execute', '__ovs_ct_'])).toEqual(new Set(['openvswitch']));
    expect(modules(['nf_conntrack_tcp', '__nf_c', 'entry destroyed'])).toEqual(new Set(['nf_conntrack']));
  });
  it('names every point of enum ct_point', () => {
    expect(Object.keys(POINTS)).toHaveLength(CtPoint.CT_POINTS);
  });
});

describe('event decoder', () => {
  it('decodes golden bytes into a row', () => {
    const bytes = new Uint8Array(CtEventSize);
    const v = new DataView(bytes.buffer);
    const O = CtEventOffsets;
    v.setBigUint64(O.ts_ns, 5_000n, true);
    v.setBigUint64(O.ct, 0xffff88800da75300n, true);
    v.setBigUint64(O.status, 0b1110n, true); // SEEN_REPLY | ASSURED | CONFIRMED
    v.setInt32(O.verdict, 1, true);
    v.setInt32(O.stack_id, -1, true);
    v.setUint32(O.pid, 77, true);
    bytes[O.point] = CtPoint.CT_TCP;
    bytes[O.ctinfo] = 0;
    bytes[O.tcp_state_before] = 2;
    bytes[O.tcp_state] = 3;
    bytes[O.tcp_flags] = 0x10;
    bytes.set(new TextEncoder().encode('ncat\0'), O.comm);
    for (const at of [O.pkt, O.orig]) {
      bytes[at] = 2;
      bytes[at + 1] = 6;
      v.setUint16(at + 2, 40000, true);
      v.setUint16(at + 4, 5201, true);
      bytes.set([10, 0, 0, 1], at + 8);
      bytes.set([10, 0, 0, 2], at + 24);
    }
    const ctx = { options: { relTime: false }, object: {}, kernelEnum: () => undefined } as unknown as Parameters<typeof row>[1];
    expect(row(decodeCtEvent(v, 0), ctx)).toMatchObject({
      point: 'tcp_state',
      func: 'nf_conntrack_tcp_packet',
      comm: 'ncat',
      ct: '0xffff88800da75300',
      ctinfo: 'ESTABLISHED',
      status_flags: ['SEEN_REPLY', 'ASSURED', 'CONFIRMED'],
      tcp_state_before: 'SYN_RECV',
      tcp_state: 'ESTABLISHED',
      verdict: 'ACCEPT',
      packet: { protocol: 'tcp', src_ip: '10.0.0.1', dst_port: 5201, tcp_flags: ['ACK'] },
      orig: { src_ip: '10.0.0.1', dst_ip: '10.0.0.2', src_port: 40000 },
    });
  });
});
