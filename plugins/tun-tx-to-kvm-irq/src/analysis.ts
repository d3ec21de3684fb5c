// --analyze: where the interrupt chain stops, per tap queue, in the words of what to check next.
import { percent, tunQueueText } from '@nettrace/core';
import type { QueueVal } from './tun_tx_to_kvm_irq.gen.js';

/** A queue's row: its tap queue and the kernel's counters for it (struct queue_val). */
type QueueCounts = { device: string; netns_name: string; queue: number } & Pick<
  QueueVal,
  'xmits' | 'signals' | 'used' | 'interrupts' | 'irqfd' | 'suppressed' | 'no_eventfd'
>;

/** The first link of the chain that does not follow from the one before. */
export function diagnosis(q: QueueCounts): string {
  if (!q.xmits && !q.signals) return 'idle';
  if (q.xmits && !q.signals)
    return 'packets but no vhost signal: vhost-net is not draining this queue (worker stalled, or no receive buffers)';
  if (q.no_eventfd === q.signals) return 'no call eventfd: the guest cannot be interrupted (vhost was given none)';
  if (!q.interrupts) return 'every signal suppressed: the guest asked for no interrupts (NAPI polling, or EVENT_IDX not reached)';
  if (!q.irqfd) return 'interrupts go through user space (no KVM irqfd on the call eventfd: QEMU relays them)';
  if (q.irqfd < q.interrupts) return 'some interrupts reached no irqfd';
  return 'complete: every interrupt reached KVM through its irqfd';
}

/** The chain analysis section of a report, from its queue rows. */
export function chainAnalysis(rows: QueueCounts[]) {
  return {
    kind: 'table' as const,
    key: 'chains',
    title: 'chain analysis: xmit -> signal -> interrupt -> irqfd',
    columns: [
      { key: 'queue', header: 'QUEUE', value: (r: Record<string, unknown>) => String(r.queue_text) },
      { key: 'packets_per_signal', header: 'PKTS/SIGNAL' },
      { key: 'interrupt_pct', header: 'INTERRUPT%' },
      { key: 'irqfd_pct', header: 'IRQFD%' },
      { key: 'diagnosis', header: 'DIAGNOSIS' },
    ],
    rows: rows.map((q) => ({
      queue_text: tunQueueText(q as never),
      queue: q.queue,
      packets_per_signal: q.signals ? Math.round((100 * q.xmits) / q.signals) / 100 : 0,
      interrupt_pct: percent(q.interrupts, q.signals),
      irqfd_pct: percent(q.irqfd, q.interrupts),
      diagnosis: diagnosis(q),
    })),
  };
}
