// vhost-eventfd-count: how often does each vhost virtqueue interrupt its guest, per (virtqueue,
// call eventfd)? The kernel counts every vhost_add_used_and_signal_n() call, the ones that really
// signalled the call eventfd (the guest's interrupt), and the buffers returned; virtqueues whose
// backend is a tap are named by its queue. Each report holds that interval's counts.
import {
  countersSection,
  definePlugin,
  type PluginContext,
  reportCounters,
  sinceLastReport,
  tapQueueFilter,
  tapQueueOptions,
  tunQueueColumn,
  tunQueueFields,
  vhostSignalHooks,
} from '@nettrace/core';
import { contract, decodeVqCounts, decodeVqKey } from './vhost_eventfd_count.gen.js';

const options = tapQueueOptions('virtqueues whose backend is this tap device');
type Ctx = PluginContext<typeof options, typeof contract>;

const ROLES = ['rx', 'tx'];
const hex = (p: bigint) => (p ? `0x${p.toString(16)}` : null);

function vqRows(ctx: Ctx) {
  const rows = new Map<string, Record<string, unknown>>();
  for (const [k, v] of ctx.object.map('vqs').entries()) {
    const key = decodeVqKey(new DataView(k.buffer, k.byteOffset, k.byteLength), 0);
    const c = decodeVqCounts(new DataView(v.buffer, v.byteOffset, v.byteLength), 0);
    const named = key.role < ROLES.length;
    rows.set(Buffer.from(k).toString('hex'), {
      vq: hex(key.vq),
      eventfd: hex(key.eventfd),
      ...(named ? tunQueueFields(key.queue) : { device: null, netns_name: null, ifindex: null, netns: null, queue: null }),
      role: named ? ROLES[key.role] : null,
      calls: c.calls,
      signals: c.signals,
      used: c.used,
    });
  }
  return [...sinceLastReport(ctx, 'vqs', rows, ['calls', 'signals', 'used']).values()]
    .filter((r) => ctx.final || (r.calls as number) > 0)
    .sort(
      (a, b) =>
        Number(a.device === null) - Number(b.device === null) ||
        String(a.device).localeCompare(String(b.device)) ||
        String(a.vq).localeCompare(String(b.vq)),
    );
}

function collect(ctx: Ctx) {
  return {
    sections: [
      {
        kind: 'table' as const,
        key: 'vqs',
        title: 'Signals per vhost virtqueue and call eventfd',
        columns: [
          { key: 'vq', header: 'VQ' },
          { key: 'eventfd', header: 'EVENTFD' },
          tunQueueColumn,
          { key: 'role', header: 'DIR' },
          { key: 'calls', header: 'CALLS' },
          { key: 'signals', header: 'SIGNALS' },
          { key: 'used', header: 'USED' },
        ],
        rows: vqRows(ctx),
      },
      countersSection('counters', reportCounters(ctx)),
    ],
  };
}

export default definePlugin({
  id: 'vhost-eventfd-count',
  summary: 'Signals (guest interrupts) per vhost virtqueue and call eventfd, named by the tap queue it serves',
  description:
    'Hooks vhost_add_used_and_signal_n (entry and exit: fentry/fexit, else kprobe/kretprobe; module vhost) and eventfd_signal (eventfd_signal_mask where it is inlined): a call counts as a signal when it signalled the call eventfd. The call eventfd is read through CO-RE (vhost_vring_call or, before 5.8, a pointer).',
  contract,
  options,
  defaultInterval: 1,
  hooks: vhostSignalHooks(),
  configure: (cfg, o) => tapQueueFilter(cfg, o.iface, o.queue),
  output: { kind: 'report', collect: (ctx) => collect(ctx) },
});
