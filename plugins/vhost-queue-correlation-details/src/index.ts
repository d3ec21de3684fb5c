// vhost-queue-correlation-details: a per-event trace of tap queues from the host to the guest, to
// line up what the host sent with what vhost did: each transmit (flow, ring depth), each wake-up
// of vhost-net's receive worker (virtqueue indices), each read (ring left) and each signal call
// (buffers returned, indices before and after, interrupt verdict). --verbose adds every index.
import {
  definePlugin,
  flowFields,
  flowText,
  functionHook,
  kernelTimeColumn,
  monotonicToIso,
  signalVerdict,
  tapQueueFilter,
  tapQueueOptions,
  tunQueueColumn,
  tunQueueFields,
  vhostSignalHooks,
  vocabulary,
  vqStateFields,
} from '@nettrace/core';
import { contract, type Event, EventLayout } from './vhost_queue_correlation_details.gen.js';

const KINDS = ['xmit', 'handle_rx', 'recvmsg', 'signal'] as const;
const hex = (p: bigint) => (p ? `0x${p.toString(16)}` : null);
type Ring = { pending: number; occupied: number; size: number; producer: number; consumer_head: number; consumer_tail: number };
type Vq = ReturnType<typeof vqStateFields>;

/** The event's one-line description: its stage's essentials, every index with --verbose. */
function info(
  kind: string,
  r: { ring?: Ring; flow?: string; len?: number; count?: number; before?: Vq; after?: Vq; verdict?: string },
  verbose: boolean,
): string {
  const ring = (g: Ring) =>
    `ring ${g.pending} pending ${g.occupied}/${g.size}${verbose ? ` p=${g.producer} h=${g.consumer_head} t=${g.consumer_tail}` : ''}`;
  const vq = (v: Vq) =>
    `avail ${v.last_avail_idx}/${v.avail_idx} used ${v.last_used_idx}${verbose ? ` sig ${v.signalled_used_valid ? v.signalled_used : '-'} flags ${v.used_flags} event_idx ${v.event_idx} busyloop ${v.busyloop_timeout} features ${v.acked_features}` : ''}`;
  if (kind === 'xmit' && r.ring) return `${ring(r.ring)} len ${r.len} ${r.flow}`;
  if (kind === 'recvmsg' && r.ring) return ring(r.ring);
  if (kind === 'handle_rx' && r.before) return vq(r.before);
  if (kind === 'signal' && r.before && r.after) return `+${r.count} ${vq(r.before)} -> ${r.after.last_used_idx} ${r.verdict}`;
  return '';
}

export function eventRow(e: Event, verbose = false) {
  const kind = KINDS[e.kind] ?? String(e.kind);
  const ring = { ...e.ring, full: Boolean(e.ring.full) };
  const fields = {
    ...(kind === 'xmit' || kind === 'recvmsg' ? { ring } : {}),
    ...(kind === 'xmit' ? { ...flowFields(e.flow), flow: flowText(e.flow), len: e.len } : {}),
    ...(kind === 'handle_rx' || kind === 'signal' ? { vq: hex(e.vq), eventfd: hex(e.eventfd), before: vqStateFields(e.before) } : {}),
    ...(kind === 'signal'
      ? {
          role: e.role === 0 ? 'rx' : 'tx',
          count: e.len,
          entry_ns: e.entry_ns,
          after: vqStateFields(e.after),
          verdict: signalVerdict({ eventfd: e.eventfd, signalled: e.signalled, eventIdx: Boolean(e.before.event_idx) }),
        }
      : {}),
  };
  return {
    time: monotonicToIso(e.ts_ns),
    ts_ns: e.ts_ns,
    event: kind,
    ...tunQueueFields(e.queue),
    ...fields,
    info: info(kind, fields, verbose),
    pid: e.pid,
    tid: e.tid,
    comm: e.comm,
  };
}

export default definePlugin({
  id: 'vhost-queue-correlation-details',
  summary:
    'Per-event trace of tap queues from the host to the guest: transmit, vhost wake-up, read and signal, with ring and virtqueue state',
  description:
    'Hooks tun_net_xmit and tun_recvmsg (module tun), handle_rx (module vhost_net), vhost_add_used_and_signal_n entry and exit (module vhost) and eventfd_signal: fentry/fexit, else kprobe/kretprobe. Each hook finds its tap queue itself; CO-RE reads against the module BTF.',
  contract,
  options: {
    ...tapQueueOptions(),
    verbose: vocabulary.verbose({ description: 'every ring and virtqueue index in the table (JSON always has them)' }),
  },
  defaultInterval: 0,
  hooks: [
    functionHook('tun_net_xmit', 'tun_net_xmit', { module: 'tun' }),
    functionHook('handle_rx', 'handle_rx', { module: 'vhost_net' }),
    functionHook('tun_recvmsg', 'tun_recvmsg', { module: 'tun' }),
    ...vhostSignalHooks(),
  ],
  configure: (cfg, o) => tapQueueFilter(cfg, o.iface, o.queue),
  output: {
    kind: 'stream',
    layout: EventLayout,
    columns: [
      kernelTimeColumn(),
      tunQueueColumn,
      { key: 'event', header: 'EVENT', value: (r) => (r.role ? `${r.event}(${r.role})` : r.event) },
      { key: 'comm', header: 'COMM', value: (r) => `${r.comm}(${r.tid})` },
      { key: 'info', header: 'STATE' },
    ],
    row: (e, ctx) => eventRow(e, ctx.options.verbose),
  },
});
