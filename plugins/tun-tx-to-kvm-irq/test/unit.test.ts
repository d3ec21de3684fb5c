// Unit: the shared tap queue options, BCC's ICMP filters as rodata, the decoding of the two event
// kinds from the kernel's bytes, and the chain analysis' diagnosis of each broken link.
import { NtFlowOffsets, NtTunQueueOffsets, parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { expect, it } from 'vitest';
import { describeTapQueueOptions } from '../../../tooling/test-support/tap-plugin.js';
import { diagnosis } from '../src/analysis.js';
import plugin, { detail, eventRow } from '../src/index.js';
import { decodeEvent, EventOffsets, EventSize, TtkEventType } from '../src/tun_tx_to_kvm_irq.gen.js';

describeTapQueueOptions(plugin);

const vars = (argv: string[]) =>
  Object.fromEntries(recordConfig(plugin, parseOptions({ ...runnerOptions, ...plugin.options }, argv, 't')).variables);

it('writes the per-packet filters (BCC spellings) to the kernel, none by default', () => {
  expect(vars(['--src-ip', '10.0.0.1', '--protocol', 'icmp', '--icmp-id', '77', '--icmp-seq', '3'])).toMatchObject({
    cfg_src_ip_set: 1,
    cfg_protocol: 1,
    cfg_icmp_id_set: 1,
    cfg_icmp_id: 77,
    cfg_icmp_seq_set: 1,
    cfg_icmp_seq: 3,
  });
  const none = vars([]);
  expect([none.cfg_icmp_id_set, none.cfg_icmp_seq_set, none.cfg_protocol]).toEqual([undefined, undefined, undefined]);
  expect(parseOptions({ ...runnerOptions, ...plugin.options }, ['--analyze-chains'], 't').analyze).toBe(true);
});

function bytes(fill: (v: DataView, b: Uint8Array) => void) {
  const b = new Uint8Array(EventSize);
  const v = new DataView(b.buffer);
  b.set(new TextEncoder().encode('vnet0'), EventOffsets.queue + NtTunQueueOffsets.ifname);
  v.setUint16(EventOffsets.queue + NtTunQueueOffsets.queue, 1, true);
  fill(v, b);
  return decodeEvent(v, 0);
}

it('decodes an xmit: the ICMP echo packet and the ring it found', () => {
  const e = bytes((v, b) => {
    b[EventOffsets.type] = TtkEventType.EV_XMIT;
    b[EventOffsets.flow + NtFlowOffsets.family] = 2;
    b[EventOffsets.flow + NtFlowOffsets.protocol] = 1;
    b.set([10, 0, 0, 1], EventOffsets.flow + NtFlowOffsets.saddr);
    b.set([10, 0, 0, 2], EventOffsets.flow + NtFlowOffsets.daddr);
    v.setUint16(EventOffsets.flow + NtFlowOffsets.icmp_id, 77, true);
    v.setUint16(EventOffsets.flow + NtFlowOffsets.icmp_seq, 3, true);
    v.setUint32(EventOffsets.ring_pending, 2, true);
  });
  const r = eventRow(e);
  expect(r).toMatchObject({
    event: 'xmit',
    device: 'vnet0',
    queue: 1,
    protocol: 'icmp',
    src_ip: '10.0.0.1',
    icmp_id: 77,
    icmp_seq: 3,
    ring_full: false,
  });
  expect(detail(r)).toBe('icmp 10.0.0.1 -> 10.0.0.2 id 77 seq 3, ring 2');
});

it('decodes a signal: verdict, irqfd and delays (null without irqfd)', () => {
  const signal = (irqfd: number, signalled: number) =>
    eventRow(
      bytes((v, b) => {
        b[EventOffsets.type] = TtkEventType.EV_SIGNAL;
        v.setBigUint64(EventOffsets.eventfd, 0xffff888012345678n, true);
        v.setUint32(EventOffsets.used, 2, true);
        v.setUint32(EventOffsets.packets, 2, true);
        v.setUint32(EventOffsets.gsi, 40, true);
        v.setBigUint64(EventOffsets.signal_to_irqfd_ns, 1500n, true);
        v.setBigUint64(EventOffsets.xmit_to_irqfd_ns, 90000n, true);
        b[EventOffsets.signalled] = signalled;
        b[EventOffsets.irqfd] = irqfd;
      }),
    );
  const full = signal(1, 1);
  expect(full).toMatchObject({
    event: 'signal',
    eventfd: '0xffff888012345678',
    verdict: 'interrupt',
    irqfd: true,
    gsi: 40,
    signal_to_irqfd_ns: 1500,
    xmit_to_irqfd_ns: 90000,
  });
  expect(detail(full)).toBe('used 2, packets 2, interrupt -> irqfd gsi 40 in 1.5us (first packet 90.0us before)');
  const user = signal(0, 1);
  expect([user.gsi, user.signal_to_irqfd_ns, user.xmit_to_irqfd_ns]).toEqual([null, null, null]);
  expect(detail(user)).toBe('used 2, packets 2, interrupt -> no irqfd (user space reads the eventfd)');
  expect(signal(0, 0).verdict).toBe('suppressed_flag');
});

it('diagnoses the first broken link of each chain', () => {
  const q = {
    device: 'vnet0',
    netns_name: '',
    queue: 0,
    xmits: 4,
    signals: 2,
    used: 4,
    interrupts: 2,
    irqfd: 2,
    suppressed: 0,
    no_eventfd: 0,
  };
  expect(diagnosis({ ...q, xmits: 0, signals: 0 })).toBe('idle');
  expect(diagnosis({ ...q, signals: 0 })).toMatch(/^packets but no vhost signal/);
  expect(diagnosis({ ...q, no_eventfd: 2 })).toMatch(/^no call eventfd/);
  expect(diagnosis({ ...q, interrupts: 0, suppressed: 2 })).toMatch(/^every signal suppressed/);
  expect(diagnosis({ ...q, irqfd: 0 })).toMatch(/^interrupts go through user space/);
  expect(diagnosis({ ...q, irqfd: 1 })).toBe('some interrupts reached no irqfd');
  expect(diagnosis(q)).toBe('complete: every interrupt reached KVM through its irqfd');
});
