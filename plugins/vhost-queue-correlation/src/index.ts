// vhost-queue-correlation: every interrupt decision vhost makes for a tap queue's virtqueues, one
// event per vhost_add_used_and_signal_n() call: the virtqueue's indices and notification state
// before and after (EVENT_IDX, signalled_used), and the verdict: was the guest interrupted, and if
// not, why (the guest's flag, EVENT_IDX, or no call eventfd at all).
import {
  definePlugin,
  monotonicToClock,
  monotonicToIso,
  signalVerdict,
  tapQueueFilter,
  tapQueueOptions,
  tunQueueColumn,
  tunQueueFields,
  vhostSignalHooks,
  vqStateFields,
} from '@nettrace/core';
import { contract, type Event, EventLayout } from './vhost_queue_correlation.gen.js';

const ROLES = ['rx', 'tx'];

export function eventRow(e: Event) {
  return {
    time: monotonicToIso(e.exit_ns),
    entry_ns: e.entry_ns,
    exit_ns: e.exit_ns,
    ...tunQueueFields(e.queue),
    role: ROLES[e.role] ?? null,
    vq: `0x${e.vq.toString(16)}`,
    eventfd: e.eventfd ? `0x${e.eventfd.toString(16)}` : null,
    count: e.count,
    verdict: signalVerdict({ eventfd: e.eventfd, signalled: e.signalled, eventIdx: Boolean(e.before.event_idx) }),
    before: vqStateFields(e.before),
    after: vqStateFields(e.after),
    pid: e.pid,
    tid: e.tid,
    comm: e.comm,
  };
}

type Row = ReturnType<typeof eventRow>;

export default definePlugin({
  id: 'vhost-queue-correlation',
  summary:
    'Every vhost interrupt decision for a tap queue: virtqueue indices before and after, EVENT_IDX, and whether the guest was interrupted',
  description:
    "Hooks vhost_add_used_and_signal_n (entry and exit: fentry/fexit, else kprobe/kretprobe; module vhost) and eventfd_signal (eventfd_signal_mask where it is inlined). The verdict is whether the call signalled the virtqueue's call eventfd (vhost_signal and vhost_notify are inlined or cloned on current kernels). Only virtqueues whose backend is a tap queue.",
  contract,
  options: tapQueueOptions('the virtqueues of this tap device'),
  defaultInterval: 0,
  hooks: vhostSignalHooks(),
  configure: (cfg, o) => tapQueueFilter(cfg, o.iface, o.queue),
  output: {
    kind: 'stream',
    layout: EventLayout,
    columns: [
      { key: 'time', header: 'TIME', value: (r) => monotonicToClock(r.exit_ns as number) },
      tunQueueColumn,
      { key: 'role', header: 'DIR' },
      { key: 'count', header: 'USED+' },
      { key: 'avail', header: 'LAST_AVAIL/AVAIL', value: (r) => `${(r as Row).before.last_avail_idx}/${(r as Row).before.avail_idx}` },
      { key: 'used', header: 'USED_IDX', value: (r) => `${(r as Row).before.last_used_idx}->${(r as Row).after.last_used_idx}` },
      {
        key: 'signalled_used',
        header: 'SIGNALLED_USED',
        value: (r) => ((r as Row).after.signalled_used_valid ? (r as Row).after.signalled_used : '-'),
      },
      { key: 'event_idx', header: 'EVENT_IDX', value: (r) => ((r as Row).before.event_idx ? 'yes' : 'no') },
      { key: 'verdict', header: 'VERDICT' },
    ],
    row: (e) => eventRow(e),
  },
});
