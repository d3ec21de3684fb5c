// tun-tx-to-kvm-irq: for packets the host sends into a VM queue, is the guest interrupted, and how
// fast? The chain tun_net_xmit -> vhost signal -> KVM irqfd per tap queue: one event per packet
// and per signal (used buffers, the interrupt verdict, the irqfd's GSI, signal -> irqfd and first
// packet -> irqfd delays), and per queue counters and delay histograms, counted in the kernel.
import {
  columns,
  countersSection,
  definePlugin,
  flowFields,
  functionHook,
  kernelTimeColumn,
  monotonicToIso,
  type PluginContext,
  reportCounters,
  reportPeriod,
  signalVerdict,
  type TunQueueFields,
  tableSection,
  tapQueueFilter,
  tapQueueOptions,
  tunQueueColumn,
  tunQueueFields,
  tunQueueHistograms,
  tunQueueRows,
  vhostSignalHooks,
  vocabulary,
  withSummary,
} from '@nettrace/core';
import { chainAnalysis } from './analysis.js';
import { contract, decodeQueueVal, type Event, EventLayout, type QueueVal, TtkEventType } from './tun_tx_to_kvm_irq.gen.js';

const options = {
  ...tapQueueOptions('this tap device'),
  srcIp: vocabulary.srcIp(),
  dstIp: vocabulary.dstIp(),
  srcPort: vocabulary.srcPort(),
  dstPort: vocabulary.dstPort(),
  protocol: vocabulary.protocol(),
  icmpId: { kind: 'uint', long: 'icmp-id', description: 'only ICMP echo packets of this id', max: 0xffff } as const,
  icmpSeq: { kind: 'uint', long: 'icmp-seq', description: 'only ICMP echo packets of this sequence number', max: 0xffff } as const,
  analyze: {
    kind: 'flag',
    long: 'analyze',
    aliases: ['analyze-chains'],
    description: 'add the chain analysis to each report: where the chain stops, per queue',
    default: false,
  } as const,
};
type Ctx = PluginContext<typeof options, typeof contract>;

const QUEUE_COUNTERS = [
  'xmits',
  'signals',
  'used',
  'interrupts',
  'irqfd',
  'suppressed',
  'no_eventfd',
  'signal_to_irqfd_sum_us',
  'xmit_to_irqfd_sum_us',
  'signal_to_irqfd_us',
  'xmit_to_irqfd_us',
] as const satisfies readonly (keyof QueueVal)[];

/** A delay histogram per queue, with its count, mean and percentiles (the kernel keeps the sum). */
function delayHistograms(rows: (QueueVal & TunQueueFields)[], name: 'signal_to_irqfd' | 'xmit_to_irqfd', title: string) {
  const delay = { label: 'delay', unit: 'us' };
  return rows.flatMap((r) =>
    tunQueueHistograms([r], name, (q) => q[`${name}_us`], title, delay).map((s) => withSummary(s, r[`${name}_sum_us`])),
  );
}

export function eventRow(e: Event) {
  const common = { time: monotonicToIso(e.ts_ns), ts_ns: e.ts_ns, ...tunQueueFields(e.queue), tid: e.tid };
  if (e.type === TtkEventType.EV_XMIT) {
    const icmp = e.flow.protocol === 1 || e.flow.protocol === 58; // ICMP, ICMPv6: echo id and sequence
    return {
      event: 'xmit',
      ...common,
      ...flowFields(e.flow),
      icmp_id: icmp ? e.flow.icmp_id : null,
      icmp_seq: icmp ? e.flow.icmp_seq : null,
      ring_pending: e.ring_pending,
      ring_full: Boolean(e.ring_full),
    };
  }
  const irqfd = Boolean(e.irqfd);
  return {
    event: 'signal',
    ...common,
    eventfd: e.eventfd ? `0x${e.eventfd.toString(16)}` : null,
    used: e.used,
    packets: e.packets,
    verdict: signalVerdict({ eventfd: e.eventfd, signalled: e.signalled, eventIdx: Boolean(e.event_idx) }),
    irqfd,
    gsi: irqfd ? e.gsi : null,
    signal_to_irqfd_ns: irqfd ? e.signal_to_irqfd_ns : null,
    xmit_to_irqfd_ns: irqfd && e.xmit_to_irqfd_ns ? e.xmit_to_irqfd_ns : null,
  };
}

const us = (ns: unknown) => (ns === null ? '-' : ((ns as number) / 1000).toFixed(1));

/** The DETAIL column: the packet of an xmit, the outcome of a signal. */
export function detail(r: Record<string, unknown>): string {
  if (r.event === 'xmit') {
    const what =
      r.protocol === null || r.protocol === '-'
        ? 'non-IP'
        : r.icmp_id !== null
          ? `${r.protocol} ${r.src_ip} -> ${r.dst_ip} id ${r.icmp_id} seq ${r.icmp_seq}`
          : `${r.protocol} ${r.src_ip}:${r.src_port} -> ${r.dst_ip}:${r.dst_port}`;
    return `${what}, ring ${r.ring_pending}${r.ring_full ? ' FULL' : ''}`;
  }
  const chain = r.irqfd
    ? ` -> irqfd gsi ${r.gsi} in ${us(r.signal_to_irqfd_ns)}us (first packet ${us(r.xmit_to_irqfd_ns)}us before)`
    : r.verdict === 'interrupt'
      ? ' -> no irqfd (user space reads the eventfd)'
      : '';
  return `used ${r.used}, packets ${r.packets}, ${r.verdict}${chain}`;
}

function collect(ctx: Ctx) {
  const rows = tunQueueRows(ctx, 'queues', decodeQueueVal, QUEUE_COUNTERS);
  const table = rows.map(
    ({ signal_to_irqfd_us: _s, xmit_to_irqfd_us: _x, signal_to_irqfd_sum_us: _ss, xmit_to_irqfd_sum_us: _xs, ...r }) => r,
  );
  return {
    sections: [
      tableSection(
        'queues',
        `Tap queues: packets into the VM and the interrupts that followed (${reportPeriod(ctx)})`,
        [
          tunQueueColumn,
          ...columns({
            xmits: 'XMITS',
            signals: 'SIGNALS',
            used: 'USED',
            interrupts: 'INTERRUPTS',
            irqfd: 'IRQFD',
            suppressed: 'SUPPRESSED',
            no_eventfd: 'NO_EVENTFD',
          }),
        ],
        table,
      ),
      ...delayHistograms(rows, 'signal_to_irqfd', 'vhost signal -> irqfd_wakeup'),
      ...delayHistograms(rows, 'xmit_to_irqfd', 'first packet -> irqfd_wakeup'),
      ...(ctx.options.analyze ? [chainAnalysis(table)] : []),
      countersSection('counters', reportCounters(ctx)),
    ],
  };
}

export default definePlugin({
  id: 'tun-tx-to-kvm-irq',
  summary:
    'The interrupt chain of packets sent into a VM: tun_net_xmit, vhost signal, KVM irqfd, per tap queue, with the signal to irqfd delay',
  description:
    "Hooks tun_net_xmit (module tun), vhost_add_used_and_signal_n entry and return with eventfd_signal (module vhost: the interrupt verdict) and irqfd_wakeup (module kvm, optional), each fentry else kprobe. The queue of a signal comes from its virtqueue's backend; irqfd_wakeup is matched inside that signal, on the same thread, by its eventfd. Packet filters (BCC's per-packet filters) apply at tun_net_xmit in the kernel; a signal is followed when a matching packet preceded it on its queue.",
  contract,
  options,
  defaultInterval: 10,
  notes: () => [
    '-d is --dst-ip here (as in every nettrace plugin): name the tap with --device/--interface; BCC --stats-interval is --interval',
  ],
  hooks: [
    functionHook('transmit', 'tun_net_xmit', { module: 'tun' }),
    ...vhostSignalHooks(),
    functionHook('irqfd_wakeup', 'irqfd_wakeup', {
      module: 'kvm',
      optional: true,
      degrades: 'the irqfd stage (chains end at the eventfd signal)',
    }),
  ],
  configure(cfg, o) {
    tapQueueFilter(cfg, o.iface, o.queue);
    if (o.icmpId !== undefined) {
      cfg.set('cfg_icmp_id_set', 1);
      cfg.set('cfg_icmp_id', o.icmpId);
    }
    if (o.icmpSeq !== undefined) {
      cfg.set('cfg_icmp_seq_set', 1);
      cfg.set('cfg_icmp_seq', o.icmpSeq);
    }
  },
  output: {
    kind: 'stream',
    layout: EventLayout,
    columns: [
      kernelTimeColumn(),
      // Padded: stream columns are as wide as their header and first line (often an xmit).
      { key: 'event', header: 'EVENT', value: (r) => String(r.event).padEnd('signal'.length) },
      tunQueueColumn,
      { key: 'detail', header: 'DETAIL', value: detail },
    ],
    row: (e) => eventRow(e),
    collect: (ctx) => collect(ctx),
  },
});
