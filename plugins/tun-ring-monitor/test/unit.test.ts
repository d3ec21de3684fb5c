// Unit: options → rodata (upstream --device spelling, queue filter, --all, the shared 5-tuple
// filters), refusals of devices that cannot be traced, and the event decoder over golden bytes.
import { NtRingStateOffsets, NtTunQueueOffsets, parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { describeTapQueueOptions } from '../../../tooling/test-support/tap-plugin.js';
import plugin, { eventRow } from '../src/index.js';
import { decodeEvent, EventOffsets, EventSize } from '../src/tun_ring_monitor.gen.js';

const parse = (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, 't');
const vars = (argv: string[]) => Object.fromEntries(recordConfig(plugin, parse(argv)).variables);

describe('tun-ring-monitor configure', () => {
  it('writes the queue filter, --all and the 5-tuple filters (directional) to rodata', () => {
    const v = vars(['-q', '2', '--all', '-p', 'icmp', '-s', '10.0.0.1', '-D', '80']);
    expect(v).toMatchObject({ cfg_queue_set: 1, cfg_queue: 2, cfg_all: true, cfg_protocol: 1, cfg_src_ip_set: 1, cfg_dst_port: 80 });
    expect([...(v.cfg_src_ip as Uint8Array)]).toEqual([10, 0, 0, 1]);
    expect(v.cfg_either_direction).toBeUndefined();
    expect(vars([])).toMatchObject({ cfg_all: false });
    expect(vars([]).cfg_queue_set).toBeUndefined();
  });
  it('accepts the upstream command line (--device, --protocol, --all)', () => {
    expect(parse(['--protocol', 'udp', '--all'])).toMatchObject({ protocol: 17, all: true });
    expect(() => parse(['--protocol', 'sctpx'])).toThrow(/not a protocol/);
  });
});

describeTapQueueOptions(plugin);

describe('event decoder', () => {
  it('decodes golden bytes into a row', () => {
    const bytes = new Uint8Array(EventSize);
    const v = new DataView(bytes.buffer);
    v.setBigUint64(EventOffsets.ts_ns, 5_000_000n, true);
    v.setBigUint64(EventOffsets.skb, 0xffff888012345678n, true);
    v.setUint32(EventOffsets.pid, 42, true);
    bytes.set(new TextEncoder().encode('ping\0'), EventOffsets.comm);
    const q = EventOffsets.queue;
    v.setUint32(q + NtTunQueueOffsets.ifindex, 9, true);
    v.setUint16(q + NtTunQueueOffsets.queue, 1, true);
    bytes.set(new TextEncoder().encode('vnet3\0'), q + NtTunQueueOffsets.ifname);
    v.setUint32(EventOffsets.numqueues, 2, true);
    v.setUint32(EventOffsets.len, 98, true);
    bytes[EventOffsets.verdict] = 1;
    const r = EventOffsets.ring;
    v.setUint32(r + NtRingStateOffsets.size, 256, true);
    v.setUint32(r + NtRingStateOffsets.producer, 7, true);
    v.setUint32(r + NtRingStateOffsets.consumer_tail, 7, true);
    v.setUint32(r + NtRingStateOffsets.occupied, 256, true);
    v.setUint32(r + NtRingStateOffsets.pending, 256, true);
    bytes[r + NtRingStateOffsets.full] = 1;
    const f = EventOffsets.flow;
    bytes[f] = 2;
    bytes[f + 1] = 1;
    bytes.set([10, 0, 0, 1], f + 8);
    bytes.set([10, 0, 0, 2], f + 24);
    expect(eventRow(decodeEvent(v, 0))).toMatchObject({
      device: 'vnet3',
      ifindex: 9,
      queue: 1,
      verdict: 'ring_full',
      numqueues: 2,
      ring_size: 256,
      producer: 7,
      consumer_tail: 7,
      occupied: 256,
      pending: 256,
      protocol: 'icmp',
      src_ip: '10.0.0.1',
      dst_ip: '10.0.0.2',
      flow: 'icmp 10.0.0.1 -> 10.0.0.2',
      len: 98,
      pid: 42,
      comm: 'ping',
      skb: '0xffff888012345678',
    });
  });
});
