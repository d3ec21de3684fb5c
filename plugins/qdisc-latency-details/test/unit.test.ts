// Unit: options → rodata (either-direction filters, threshold in ns), tc handle notation, and the
// generated event decoder over golden bytes.
import { parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import plugin, { eventRow, tcHandle } from '../src/index.js';
import { decodeEvent, EventOffsets, EventSize } from '../src/qdisc_latency_details.gen.js';

const parse = (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, 't');

describe('qdisc-latency-details configure', () => {
  it('writes the shared filters in per-field either-side mode and the threshold in ns', () => {
    const rec = recordConfig(plugin, parse(['-s', '10.0.0.1', '-D', '80', '-p', 'tcp', '-t', '250', '--max-entries', '4096', '-I', 'lo']));
    const vars = Object.fromEntries(rec.variables);
    expect(vars.cfg_src_ip_set).toBe(1);
    expect([...(vars.cfg_src_ip as Uint8Array)]).toEqual([10, 0, 0, 1]);
    expect(vars.cfg_dst_port).toBe(80);
    expect(vars.cfg_protocol).toBe(6);
    expect(vars.cfg_either_direction).toBe(2);
    expect(vars.cfg_threshold_ns).toBe(250_000n);
    expect(vars.cfg_ifindex).toBe(1);
    expect(vars.cfg_netns_ino).toBeGreaterThan(0);
    expect(rec.maxEntries).toEqual([['queued', 4096]]);
  });
  it('rejects a bad address', () => {
    expect(() => parse(['-s', '10.0.0.300'])).toThrow(/not an IPv4 or IPv6 address/);
  });
});

describe('tc handle notation', () => {
  it('formats handles, classes and root like tc', () => {
    expect(tcHandle(0x80010000)).toBe('8001:');
    expect(tcHandle(0x00010010)).toBe('1:10');
    expect(tcHandle(0xffffffff)).toBe('root');
    expect(tcHandle(0)).toBe('none');
  });
});

describe('event decoder', () => {
  it('decodes golden bytes into a row', () => {
    const bytes = new Uint8Array(EventSize);
    const v = new DataView(bytes.buffer);
    v.setBigUint64(EventOffsets.enqueue_ns, 1_000_000n, true);
    v.setBigUint64(EventOffsets.dequeue_ns, 1_250_000n, true);
    v.setBigUint64(EventOffsets.sojourn_ns, 250_000n, true);
    v.setUint32(EventOffsets.ifindex, 7, true);
    v.setUint32(EventOffsets.len, 1042, true);
    v.setUint32(EventOffsets.handle, 0x80010000, true);
    v.setUint32(EventOffsets.parent, 0xffffffff, true);
    v.setUint16(EventOffsets.queue, 3, true);
    v.setUint16(EventOffsets.batch, 1, true);
    bytes.set(new TextEncoder().encode('veth1\0'), EventOffsets.ifname);
    bytes.set(new TextEncoder().encode('tbf\0'), EventOffsets.qdisc);
    const f = EventOffsets.flow;
    bytes[f] = 2; // family
    bytes[f + 1] = 17; // udp
    v.setUint16(f + 2, 40000, true);
    v.setUint16(f + 4, 5555, true);
    bytes.set([10, 0, 0, 1], f + 8);
    bytes.set([10, 0, 0, 2], f + 24);
    const row = eventRow(decodeEvent(v, 0));
    expect(row).toMatchObject({
      interface: 'veth1',
      ifindex: 7,
      queue: 3,
      qdisc: 'tbf',
      handle: '8001:',
      parent: 'root',
      len: 1042,
      batch: 1,
      protocol: 'udp',
      src_ip: '10.0.0.1',
      dst_ip: '10.0.0.2',
      src_port: 40000,
      dst_port: 5555,
      enqueue_ns: 1_000_000,
      dequeue_ns: 1_250_000,
      sojourn_ns: 250_000,
    });
  });
});
