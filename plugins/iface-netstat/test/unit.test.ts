// Unit: options → rodata, the size-bucket folding over the shared log2 slots, golden-byte decoding.
import { parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { decodeQueueKey, decodeQueueVal, QueueKeySize, QueueValOffsets } from '../src/iface_netstat.gen.js';
import plugin from '../src/index.js';
import { foldSizes, parseBuckets } from '../src/sizes.js';

const parse = (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, 't');

describe('iface-netstat configure', () => {
  it('pins --interface to the current namespace and sizes the table', () => {
    const rec = recordConfig(plugin, parse(['-I', 'lo', '--max-entries', '64']));
    const vars = Object.fromEntries(rec.variables);
    expect(vars.cfg_ifindex).toBe(1);
    expect(vars.cfg_netns_ino).toBeGreaterThan(0); // /proc/self/ns/net, so lo of other namespaces is not counted
    expect(rec.maxEntries).toEqual([['queues', 64]]);
  });
  it('without an interface, no device filter at all', () => {
    const vars = Object.fromEntries(recordConfig(plugin, parse([])).variables);
    expect(vars.cfg_ifindex).toBeUndefined();
    expect(vars.cfg_netns_ino).toBeUndefined();
  });
  it('rejects bad size buckets and unknown namespaces', () => {
    expect(() => recordConfig(plugin, parse(['--size-buckets', '64,48']))).toThrow(/ascending powers of two/);
    expect(() => recordConfig(plugin, parse(['--size-buckets', '100']))).toThrow(/powers of two/);
    expect(() => parse(['--netns', 'no-such-ns-here'])).toThrow(/not a network namespace/);
  });
});

describe('size buckets over log2 slots', () => {
  it('folds slot k = [2^(k-1), 2^k - 1] into [0,b0), [b0,b1) ... [bn,+)', () => {
    expect(parseBuckets('64,512,2048')).toEqual([64, 512, 2048]);
    expect(parseBuckets('4294967296')).toEqual([2 ** 32]);
    expect(() => parseBuckets('4294967297')).toThrow(/powers of two/);
    const slots = new Array(64).fill(0);
    slots[0] = 1; // size 0
    slots[6] = 2; // 32..63
    slots[7] = 3; // 64..127
    slots[9] = 4; // 256..511
    slots[10] = 5; // 512..1023
    slots[12] = 6; // 2048..4095
    slots[40] = 7;
    expect(foldSizes(slots, [64, 512, 2048])).toEqual([
      { min: 0, max: 63, packets: 3 },
      { min: 64, max: 511, packets: 7 },
      { min: 512, max: 2047, packets: 5 },
      { min: 2048, max: null, packets: 13 },
    ]);
  });
});

describe('queue_key / queue_val decoders', () => {
  it('decode golden bytes laid out as the BTF says', () => {
    const k = new Uint8Array(QueueKeySize);
    const kv = new DataView(k.buffer);
    kv.setUint32(0, 4026531840, true); // netns inode
    kv.setUint32(4, 2, true); // ifindex
    kv.setUint16(8, 0xffff, true); // queue: not recorded
    k[10] = 0; // rx
    k.set(new TextEncoder().encode('veth0\0'), 12);
    expect(decodeQueueKey(kv, 0)).toEqual({ netns: 4026531840, ifindex: 2, queue: 0xffff, direction: 0, ifname: 'veth0' });
    const v = new Uint8Array(QueueValOffsets.sizes + 64 * 8);
    const vv = new DataView(v.buffer);
    vv.setBigUint64(0, 3n, true);
    vv.setBigUint64(8, 1500n, true);
    vv.setBigUint64(QueueValOffsets.sizes + 9 * 8, 3n, true);
    const val = decodeQueueVal(vv, 0);
    expect(val.packets).toBe(3);
    expect(val.bytes).toBe(1500);
    expect(val.sizes.slots[9]).toBe(3);
  });
});
