// Unit: the shared tap queue options, and the report: rows named by their tap queue (or not, for
// other backends), each interval the change since the previous report, the final the whole run.
import { NtTunQueueOffsets, type RunContext } from '@nettrace/core';
import { expect, it } from 'vitest';
import { describeTapQueueOptions, fakeObject } from '../../../tooling/test-support/tap-plugin.js';
import plugin from '../src/index.js';
import { VqCountsOffsets, VqCountsSize, VqKeyOffsets, VqKeySize } from '../src/vhost_eventfd_count.gen.js';

describeTapQueueOptions(plugin);

function entry(vq: bigint, eventfd: bigint, role: number, device: string, calls: number, signals: number): [Uint8Array, Uint8Array] {
  const k = new Uint8Array(VqKeySize);
  const kv = new DataView(k.buffer);
  kv.setBigUint64(VqKeyOffsets.vq, vq, true);
  kv.setBigUint64(VqKeyOffsets.eventfd, eventfd, true);
  k[VqKeyOffsets.role] = role;
  k.set(new TextEncoder().encode(device), VqKeyOffsets.queue + NtTunQueueOffsets.ifname);
  const v = new Uint8Array(VqCountsSize);
  const vv = new DataView(v.buffer);
  vv.setBigUint64(VqCountsOffsets.calls, BigInt(calls), true);
  vv.setBigUint64(VqCountsOffsets.signals, BigInt(signals), true);
  vv.setBigUint64(VqCountsOffsets.used, BigInt(calls), true);
  return [k, v];
}

it('names tap virtqueues, leaves others unnamed, and reports interval changes', () => {
  let vqs = [entry(0xffff1n, 0xeeee1n, 0, 'vnet0', 4, 3), entry(0xffff2n, 0n, 0xff, '', 2, 0)];
  const object = fakeObject({
    get vqs() {
      return vqs;
    },
  } as never);
  const collect = (final: boolean) =>
    (plugin.output as { collect(c: RunContext<never>): { sections: { key: string; rows?: Record<string, unknown>[] }[] } }).collect({
      object,
      final,
      counters: () => ({ calls: 0, signals: 0, untracked: 0 }),
    } as unknown as RunContext<never>).sections[0]?.rows;
  expect(collect(false)).toEqual([
    {
      vq: '0xffff1',
      eventfd: '0xeeee1',
      device: 'vnet0',
      netns_name: '',
      ifindex: 0,
      netns: 0,
      queue: 0,
      role: 'rx',
      calls: 4,
      signals: 3,
      used: 4,
    },
    {
      vq: '0xffff2',
      eventfd: null,
      device: null,
      netns_name: null,
      ifindex: null,
      netns: null,
      queue: null,
      role: null,
      calls: 2,
      signals: 0,
      used: 2,
    },
  ]);
  vqs = [entry(0xffff1n, 0xeeee1n, 0, 'vnet0', 9, 8), entry(0xffff2n, 0n, 0xff, '', 2, 0)];
  expect(collect(false)).toMatchObject([{ device: 'vnet0', calls: 5, signals: 5, used: 5 }]);
  expect(collect(true)).toMatchObject([{ calls: 9, signals: 8 }, { calls: 2 }]);
});
