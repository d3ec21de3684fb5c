// Unit: options → rodata, tc handles and drop causes as text, the event decoder over golden bytes,
// and the hook ladder's shape (which rung needs which entry hook).
import { parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import plugin, { cause, tcHandle } from '../src/index.js';
import { decodeQdiscEvent, QdiscEventOffsets, QdiscEventSize } from '../src/qdisc_drop_trace.gen.js';

const vars = (argv: string[]) =>
  Object.fromEntries(recordConfig(plugin, parseOptions({ ...runnerOptions, ...plugin.options }, argv, 't')).variables);

describe('qdisc-drop-trace configure', () => {
  it('maps the BCC modes onto the per-packet lines: every packet, drops only, none', () => {
    expect(vars([])).toMatchObject({ cfg_lines: 2, cfg_stack: false });
    expect(vars(['--drops-only', '-v'])).toMatchObject({ cfg_lines: 1, cfg_stack: true });
    expect(vars(['--summary', '--drops-only'])).toMatchObject({ cfg_lines: 0 });
  });
  it('writes the shared filters', () => {
    expect(vars(['-p', 'udp', '-D', '53', '-s', '10.0.0.1'])).toMatchObject({ cfg_protocol: 17, cfg_dst_port: 53, cfg_src_ip_set: 1 });
  });
  it('runs the upstream command lines unchanged', () => {
    // Appendix A: qdisc_drop_trace.py, and qdisc_drop_trace.py --interval 1 --summary
    expect(() => parseOptions({ ...runnerOptions, ...plugin.options }, [], 't')).not.toThrow();
    expect(parseOptions({ ...runnerOptions, ...plugin.options }, ['--interval', '1', '--summary'], 't')).toMatchObject({
      interval: 1,
      summary: true,
    });
  });
});

describe('text', () => {
  it('prints handles as tc does', () => {
    expect(tcHandle(0x80010000)).toBe('8001:');
    expect(tcHandle(0x00010010)).toBe('1:10');
    expect(tcHandle(0)).toBe('0:');
  });
  it('names the cause: a drop reason, or a return code and its function', () => {
    expect(cause({ source: 1, code: 45 }, (c) => (c === 45 ? 'QDISC_DROP' : '?'))).toBe('QDISC_DROP');
    expect(cause({ source: 2, code: 1 }, () => '?')).toBe('NET_XMIT_DROP from dev_qdisc_enqueue');
    expect(cause({ source: 3, code: 1 }, () => '?')).toBe('NET_XMIT_DROP from __dev_queue_xmit');
  });
});

describe('qdisc_event decoder', () => {
  it('decodes golden bytes laid out as the BTF says', () => {
    const bytes = new Uint8Array(QdiscEventSize);
    const v = new DataView(bytes.buffer);
    v.setBigUint64(QdiscEventOffsets.ts_ns, 123n, true);
    bytes[QdiscEventOffsets.line] = 2;
    bytes[QdiscEventOffsets.source] = 3;
    v.setUint32(QdiscEventOffsets.code, 1, true);
    v.setInt32(QdiscEventOffsets.stack_id, -1, true);
    const pkt = QdiscEventOffsets.pkt;
    v.setUint32(pkt + 4, 7, true); // ifindex
    v.setUint32(pkt + 8, 1042, true); // len
    v.setUint32(pkt + 16, 0x80010000, true); // qdisc.handle
    bytes.set(Buffer.from('tbf'), pkt + 24); // qdisc.kind
    bytes.set(Buffer.from('veth0'), pkt + 40); // ifname
    const e = decodeQdiscEvent(v, 0);
    expect(e).toMatchObject({ ts_ns: 123, line: 2, source: 3, code: 1, stack_id: -1 });
    expect(e.pkt).toMatchObject({ ifindex: 7, len: 1042, ifname: 'veth0', qdisc: { handle: 0x80010000, kind: 'tbf' } });
  });
});

describe('hook ladder', () => {
  it('tries drop reasons first, then the enqueue return codes; the entry hook only serves __dev_queue_xmit', () => {
    const drops = plugin.hooks[0];
    expect(drops.alternatives.map((a) => `${a.kind}:${a.target}`)).toEqual([
      'tp_btf:skb/kfree_skb',
      'tracepoint:skb/kfree_skb',
      'fexit:dev_qdisc_enqueue',
      'fexit:__dev_queue_xmit',
      'kretprobe:__dev_queue_xmit',
    ]);
    expect(drops.alternatives[0].requires).toMatchObject({ enum: 'skb_drop_reason', value: 'SKB_DROP_REASON_QDISC_DROP' });
    expect(plugin.hooks[2].pairedWith).toEqual({ hook: 'qdisc drops', target: '__dev_queue_xmit' });
    expect(plugin.hooks[2].alternatives.map((a) => a.program)).toEqual(['nt_qdt_xmit_fe', 'nt_qdt_xmit_kp']);
  });
});
