// Unit: the shared tap queue options, and the event decoder over golden bytes for each stage:
// the fields each one carries and its one-line state, with every index under --verbose.
import { NtRingStateOffsets, NtTunQueueOffsets, NtVqStateOffsets } from '@nettrace/core';
import { expect, it } from 'vitest';
import { describeTapQueueOptions } from '../../../tooling/test-support/tap-plugin.js';
import plugin, { eventRow } from '../src/index.js';
import { decodeEvent, EventOffsets, EventSize } from '../src/vhost_queue_correlation_details.gen.js';

describeTapQueueOptions(plugin);

function bytesOf(kind: number) {
  const bytes = new Uint8Array(EventSize);
  const v = new DataView(bytes.buffer);
  bytes[EventOffsets.kind] = kind;
  bytes.set(new TextEncoder().encode('vnet0'), EventOffsets.queue + NtTunQueueOffsets.ifname);
  v.setUint32(EventOffsets.ring + NtRingStateOffsets.size, 256, true);
  v.setUint32(EventOffsets.ring + NtRingStateOffsets.pending, 2, true);
  v.setUint32(EventOffsets.ring + NtRingStateOffsets.occupied, 3, true);
  v.setUint16(EventOffsets.before + NtVqStateOffsets.avail_idx, 64, true);
  v.setUint16(EventOffsets.before + NtVqStateOffsets.last_used_idx, 5, true);
  v.setUint16(EventOffsets.after + NtVqStateOffsets.last_used_idx, 6, true);
  v.setBigUint64(EventOffsets.eventfd, 0xe0n, true);
  v.setUint32(EventOffsets.len, 1, true);
  bytes[EventOffsets.signalled] = 1;
  return decodeEvent(v, 0);
}

it('decodes each stage with its own fields and a one-line state', () => {
  expect(eventRow(bytesOf(0))).toMatchObject({
    event: 'xmit',
    device: 'vnet0',
    ring: { size: 256, pending: 2 },
    protocol: '-',
    info: 'ring 2 pending 3/256 len 1 non-IP',
  });
  expect(eventRow(bytesOf(2), true).info).toBe('ring 2 pending 3/256 p=0 h=0 t=0');
  expect(eventRow(bytesOf(1)).info).toBe('avail 0/64 used 5');
  const signal = eventRow(bytesOf(3));
  expect(signal).toMatchObject({ event: 'signal', role: 'rx', count: 1, verdict: 'interrupt', after: { last_used_idx: 6 } });
  expect(signal.info).toBe('+1 avail 0/64 used 5 -> 6 interrupt');
  expect(signal).not.toHaveProperty('ring');
  expect(eventRow(bytesOf(1), true).info).toContain('features 0x0');
});
