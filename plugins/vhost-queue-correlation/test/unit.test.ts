// Unit: the shared tap queue options, and the event decoder over golden bytes: the queue, the
// virtqueue before and after, and the verdict with its reason.
import { NtTunQueueOffsets, NtVqStateOffsets } from '@nettrace/core';
import { expect, it } from 'vitest';
import { describeTapQueueOptions } from '../../../tooling/test-support/tap-plugin.js';
import plugin, { eventRow } from '../src/index.js';
import { decodeEvent, EventOffsets, EventSize } from '../src/vhost_queue_correlation.gen.js';

describeTapQueueOptions(plugin);

function event(o: { eventfd: bigint; signalled: number; eventIdx: number }) {
  const bytes = new Uint8Array(EventSize);
  const v = new DataView(bytes.buffer);
  v.setBigUint64(EventOffsets.vq, 0xffff0010n, true);
  v.setBigUint64(EventOffsets.eventfd, o.eventfd, true);
  bytes.set(new TextEncoder().encode('vnet1'), EventOffsets.queue + NtTunQueueOffsets.ifname);
  v.setUint16(EventOffsets.queue + NtTunQueueOffsets.queue, 2, true);
  v.setUint32(EventOffsets.count, 3, true);
  bytes[EventOffsets.role] = 0;
  bytes[EventOffsets.signalled] = o.signalled;
  const b = EventOffsets.before;
  v.setUint16(b + NtVqStateOffsets.last_used_idx, 7, true);
  v.setUint32(b + NtVqStateOffsets.num, 256, true);
  bytes[b + NtVqStateOffsets.event_idx] = o.eventIdx;
  v.setUint16(EventOffsets.after + NtVqStateOffsets.last_used_idx, 10, true);
  return eventRow(decodeEvent(v, 0));
}

it('decodes a decision and names its verdict', () => {
  expect(event({ eventfd: 0xe0n, signalled: 1, eventIdx: 0 })).toMatchObject({
    device: 'vnet1',
    queue: 2,
    role: 'rx',
    vq: '0xffff0010',
    eventfd: '0xe0',
    count: 3,
    verdict: 'interrupt',
    before: { last_used_idx: 7, num: 256, event_idx: false },
    after: { last_used_idx: 10 },
  });
  expect(event({ eventfd: 0xe0n, signalled: 0, eventIdx: 1 }).verdict).toBe('suppressed_event_idx');
  expect(event({ eventfd: 0xe0n, signalled: 0, eventIdx: 0 }).verdict).toBe('suppressed_flag');
  expect(event({ eventfd: 0n, signalled: 0, eventIdx: 0 })).toMatchObject({ eventfd: null, verdict: 'no_eventfd' });
});
