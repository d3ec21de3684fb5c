// virtnet-poll-monitor (inside a guest): when do the virtio-net rx virtqueue interrupts and NAPI
// polls happen, per device and queue, with what budget, how many packets each poll processed and
// how long it ran? One event per interrupt and per poll, and a per-queue summary.
import {
  columns,
  countersSection,
  definePlugin,
  entriesSinceLastReport,
  functionHook,
  kernelTimeColumn,
  monotonicToIso,
  netnsLabel,
  type PluginContext,
  reportCounters,
  reportPeriod,
  tableSection,
  vocabulary,
} from '@nettrace/core';
import { contract, type Event, EventLayout, QueueKeyLayout, QueueValLayout } from './virtnet_poll_monitor.gen.js';

const QUEUE_UNKNOWN = 0xffffffff;
const QUEUE_COUNTS = ['irqs', 'polls', 'packets', 'full_budget', 'timed', 'duration_sum_ns'] as const;

const options = {
  iface: vocabulary.iface({ description: 'only this device (named in --netns); default: every virtio-net device', aliases: ['device'] }),
  netns: vocabulary.netns(),
  queue: vocabulary.queue({ description: 'only this rx queue (pair) index' }),
};
type Ctx = PluginContext<typeof options, typeof contract>;

export function eventRow(e: Event) {
  return {
    time: monotonicToIso(e.ts_ns),
    event: e.type === 0 ? 'poll' : 'irq',
    interface: e.ifname,
    netns_name: netnsLabel(e.netns),
    ifindex: e.ifindex,
    queue: e.queue === QUEUE_UNKNOWN ? null : e.queue,
    vq_index: e.vq_index,
    cpu: e.cpu,
    budget: e.type === 0 ? e.budget : null,
    packets: e.type === 0 ? e.work : null,
    duration_ns: e.timed ? e.duration_ns : null,
    ts_ns: e.ts_ns,
  };
}

const deviceText = (r: Record<string, unknown>) => (r.netns_name ? `${r.interface}@${r.netns_name}` : String(r.interface));
const queueText = (r: Record<string, unknown>) => (r.queue === null ? '-' : String(r.queue));

/** Per-queue rows of this report (an interval's own counts, or the whole run's). */
function queueRows(ctx: Ctx) {
  return entriesSinceLastReport(ctx, 'queues', ctx.entries('queues', QueueKeyLayout, QueueValLayout), QUEUE_COUNTS)
    .map(({ key, value: d }) => ({
      interface: key.ifname,
      netns_name: netnsLabel(key.netns),
      ifindex: key.ifindex,
      queue: key.queue === QUEUE_UNKNOWN ? null : key.queue,
      irqs: d.irqs,
      polls: d.polls,
      packets: d.packets,
      full_budget: d.full_budget,
      timed: d.timed,
      duration_sum_ns: d.duration_sum_ns,
      avg_packets: d.polls ? Math.round((100 * d.packets) / d.polls) / 100 : 0,
      avg_duration_us: d.timed ? Math.round(d.duration_sum_ns / d.timed / 10) / 100 : null,
      // The longest poll is not a counter: since the start, as the kernel keeps it.
      max_duration_us: d.duration_max_ns ? Math.round(d.duration_max_ns / 10) / 100 : null,
    }))
    .filter((r) => r.irqs + r.polls > 0)
    .sort((a, b) => a.interface.localeCompare(b.interface) || a.ifindex - b.ifindex || (a.queue ?? -1) - (b.queue ?? -1));
}

export function collect(ctx: Ctx) {
  const queueColumns = [
    { key: 'interface', header: 'DEVICE', value: deviceText },
    { key: 'queue', header: 'QUEUE', value: queueText },
    ...columns({ irqs: 'IRQS', polls: 'POLLS', packets: 'PACKETS', avg_packets: 'PKTS/POLL', full_budget: 'FULL' }),
    { key: 'avg_duration_us', header: 'AVG_us', value: (r: Record<string, unknown>) => String(r.avg_duration_us ?? '-') },
    { key: 'max_duration_us', header: 'MAX_us', value: (r: Record<string, unknown>) => String(r.max_duration_us ?? '-') },
  ];
  return {
    sections: [
      tableSection('queues', `rx queues (${reportPeriod(ctx)}; MAX_us since start)`, queueColumns, queueRows(ctx)),
      countersSection('counters', reportCounters(ctx)),
    ],
  };
}

export default definePlugin({
  id: 'virtnet-poll-monitor',
  summary:
    'Inside a guest: virtio-net rx virtqueue interrupts and NAPI polls per device and queue, with budget, packets processed and poll duration',
  description:
    'Hooks virtio_net virtnet_poll entry and return (fentry/fexit, else kprobe/kretprobe; the napi:napi_poll tracepoint as the fallback for the poll and its packets) and skb_recv_done (the rx virtqueue interrupt). Every virtio-net device by default; --interface picks one device (of any driver on the tracepoint path).',
  contract,
  options,
  defaultInterval: 0,
  hooks: [
    // The return programs take the napi and budget from the entry (a kretprobe has no arguments).
    functionHook('poll', 'virtnet_poll', { module: 'virtio_net', exit: true, fallback: ['napi/napi_poll'] }),
    functionHook('poll entry', 'virtnet_poll', { module: 'virtio_net', optional: true, degrades: 'poll durations' }),
    functionHook('rx interrupt', 'skb_recv_done', {
      module: 'virtio_net',
      optional: true,
      degrades: 'rx virtqueue interrupts (skb_recv_done)',
    }),
  ],
  configure(cfg, o) {
    if (o.queue !== undefined) {
      cfg.set('cfg_queue', o.queue);
      cfg.set('cfg_queue_set', 1);
    }
  },
  output: {
    kind: 'stream',
    layout: EventLayout,
    columns: [
      kernelTimeColumn(),
      { key: 'event', header: 'EVENT' },
      { key: 'interface', header: 'DEVICE', value: deviceText },
      { key: 'queue', header: 'QUEUE', value: queueText },
      { key: 'budget', header: 'BUDGET', value: (r) => String(r.budget ?? '') },
      { key: 'packets', header: 'PACKETS', value: (r) => String(r.packets ?? '') },
      {
        key: 'duration_ns',
        header: 'DURATION(us)',
        value: (r) => (r.duration_ns === null ? '' : ((r.duration_ns as number) / 1000).toFixed(3)),
      },
    ],
    row: (e) => eventRow(e),
    collect: (ctx) => collect(ctx),
  },
});
