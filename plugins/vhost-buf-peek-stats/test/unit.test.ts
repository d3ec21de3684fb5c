// Unit: the shared tap queue options, and the report: per receive virtqueue, the calls, the empty
// looks (return 0) and each return value with its share.
import { NtTunQueueOffsets, type RunContext } from '@nettrace/core';
import { expect, it } from 'vitest';
import { describeTapQueueOptions, fakeObject } from '../../../tooling/test-support/tap-plugin.js';
import plugin from '../src/index.js';
import { PeekKeyOffsets, PeekKeySize } from '../src/vhost_buf_peek_stats.gen.js';

describeTapQueueOptions(plugin);

function entry(nvq: bigint, ret: number, device: string, count: number): [Uint8Array, Uint8Array] {
  const k = new Uint8Array(PeekKeySize);
  const v = new DataView(k.buffer);
  v.setBigUint64(PeekKeyOffsets.nvq, nvq, true);
  v.setInt32(PeekKeyOffsets.ret, ret, true);
  k[PeekKeyOffsets.named] = device ? 1 : 0;
  k.set(new TextEncoder().encode(device), PeekKeyOffsets.queue + NtTunQueueOffsets.ifname);
  return [k, new Uint8Array(new BigUint64Array([BigInt(count)]).buffer)];
}

it('groups the return values per receive virtqueue with their share', () => {
  const object = fakeObject({ peeks: [entry(0xa0n, 98, 'vnet0', 3), entry(0xa0n, 0, 'vnet0', 1), entry(0xb0n, 0, '', 2)] });
  const report = (plugin.output as { collect(c: RunContext<never>): { sections: { rows?: Record<string, unknown>[] }[] } }).collect({
    object,
    final: true,
    counters: () => ({ peeks: 0, empty: 0, untracked: 0 }),
  } as unknown as RunContext<never>);
  expect(report.sections[0]?.rows).toEqual([
    {
      nvq: '0xa0',
      device: 'vnet0',
      netns_name: '',
      ifindex: 0,
      netns: 0,
      queue: 0,
      calls: 4,
      empty: 1,
      empty_pct: 25,
      returns: [
        { ret: 0, count: 1, pct: 25 },
        { ret: 98, count: 3, pct: 75 },
      ],
    },
    {
      nvq: '0xb0',
      device: null,
      netns_name: null,
      ifindex: null,
      netns: null,
      queue: null,
      calls: 2,
      empty: 2,
      empty_pct: 100,
      returns: [{ ret: 0, count: 2, pct: 100 }],
    },
  ]);
});
