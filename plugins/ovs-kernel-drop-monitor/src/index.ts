// ovs-kernel-drop-monitor: which packets does the Open vSwitch kernel datapath drop, why, and from
// which code path? Counts per (cause, input port, flow, kernel stack) in the kernel; each report
// holds its period's drops (the final one the whole run); --trace adds one line per drop.
import {
  columns,
  countersSection,
  definePlugin,
  dropReasonLabel,
  dropReasons,
  entriesSinceLastReport,
  flowEndpoint,
  flowFields,
  functionHook,
  kernelTimeColumn,
  ladder,
  monotonicToIso,
  type PluginContext,
  reportCounters,
  reportPeriod,
  tableSection,
  tracepointHook,
  vocabulary,
} from '@nettrace/core';
import { dropCause } from './cause.js';
import { contract, type DropEvent, DropEventLayout, DropKeyLayout, DropValLayout } from './ovs_kernel_drop_monitor.gen.js';

const options = {
  srcIp: vocabulary.srcIp({ aliases: ['src'] }), // BCC: --src-ip/--src
  dstIp: vocabulary.dstIp({ aliases: ['dst'] }),
  srcPort: vocabulary.srcPort(),
  dstPort: vocabulary.dstPort(),
  protocol: vocabulary.protocol(),
  trace: { kind: 'flag', long: 'trace', description: "also one line per drop (the libbpf port's -t)", default: false } as const,
  verbose: vocabulary.verbose({ description: 'the whole kernel stack in text output (JSON always has it)' }),
  top: vocabulary.top({ default: 20 }),
};
type Ctx = PluginContext<typeof options, typeof contract>;
type Row = Record<string, unknown>;

const causeOf = (ctx: Ctx, kind: number, reason: number) => dropCause(kind, dropReasonLabel(dropReasons(ctx.kernelEnum), reason));
/** The stack as text: without the BPF trampoline frames (the tracer's own, not the kernel's path),
 * innermost first; 6 frames, all with -v. */
const stackText = (frames: number) => ({
  key: 'stack',
  header: 'STACK',
  value: (r: Row) =>
    ((r.stack as string[] | undefined) ?? [])
      .filter((f) => !f.endsWith('[bpf]'))
      .slice(0, frames)
      .join(' < '),
});
const stackFrames = (ctx: Ctx) => (ctx.options.verbose ? 64 : 6);
const flowColumns = columns({
  protocol: 'PROTO',
  src: { header: 'SOURCE', value: (r: Row) => (r.src_ip ? flowEndpoint(r, 'src') : '-') },
  dst: { header: 'DESTINATION', value: (r: Row) => (r.dst_ip ? flowEndpoint(r, 'dst') : '-') },
  in_port: { header: 'IN_PORT', value: (r: Row) => r.in_port ?? '-' },
});

function row(e: DropEvent, ctx: Ctx): Row {
  return {
    time: monotonicToIso(e.ts_ns),
    ts_ns: e.ts_ns,
    cause: causeOf(ctx, e.kind, e.reason),
    reason_code: e.reason,
    ...flowFields(e.flow),
    in_port: e.in_ifname || null,
    len: e.len,
    pid: e.pid,
    comm: e.comm,
    cpu: e.cpu,
    location: e.location ? ctx.symbols().symbolize(e.location) : null,
    stack: e.stack_id >= 0 ? ctx.kernelStack(e.stack_id) : [],
  };
}

function collect(ctx: Ctx) {
  const groups = entriesSinceLastReport(ctx, 'drops', ctx.entries('drops', DropKeyLayout, DropValLayout), ['count', 'bytes']);
  groups.sort((a, b) => b.value.count - a.value.count);
  const grouped = groups.reduce((n, g) => n + g.value.count, 0);
  const rows = groups.slice(0, ctx.options.top).map(({ key, value }) => ({
    cause: causeOf(ctx, key.kind, key.reason),
    reason_code: key.reason,
    count: value.count,
    bytes: value.bytes,
    ...flowFields(key.flow),
    in_port: value.in_ifname || null,
    stack: key.stack_id >= 0 ? ctx.kernelStack(key.stack_id) : [],
  }));
  const counters = reportCounters(ctx);
  const table = [
    { key: 'cause', header: 'CAUSE' },
    { key: 'count', header: 'COUNT' },
    { key: 'bytes', header: 'BYTES' },
    ...flowColumns,
    stackText(stackFrames(ctx)),
  ];
  return {
    sections: [
      tableSection('drops', `OVS datapath drops, top ${rows.length} of ${groups.length} groups (${reportPeriod(ctx)})`, table, rows),
      countersSection('totals', { ...counters, groups: groups.length, untracked_drops: Math.max(0, counters.drops - grouped) }),
    ],
  };
}

const ovs = 'openvswitch';
const degrades = 'every drop but those the kernel gives an openvswitch drop reason (6.7+), whose flow is then read from the packet';

export default definePlugin({
  id: 'ovs-kernel-drop-monitor',
  summary: 'Open vSwitch kernel datapath drops by cause (drop reason, meter, drop action), input port, flow and kernel stack',
  description:
    "Follows each packet from ovs_execute_actions (fentry/fexit, else kprobe/kretprobe; module openvswitch) until the call returns: freed in between by skb:kfree_skb (with the kernel's drop reason) or, before 6.7, by skb:consume_skb without being handed to a port or to user space (a drop action, a meter: ovs_meter_execute's verdict), it is a datapath drop, in whatever context it ran. Filters apply to the flow key OVS extracted, before counting. Without the function hooks only drops with an openvswitch drop reason (6.7+) are seen.",
  contract,
  options,
  defaultInterval: 5,
  hooks: [
    functionHook('execute return', 'ovs_execute_actions', { module: ovs, exit: true, optional: true, degrades }),
    functionHook('execute', 'ovs_execute_actions', { module: ovs, pairedWith: { hook: 'execute return', target: 'ovs_execute_actions' } }),
    functionHook('meter return', 'ovs_meter_execute', {
      module: ovs,
      exit: true,
      optional: true,
      degrades: 'meter verdicts: before 6.7 a meter drop shows as "no output action (consumed)"',
    }),
    functionHook('meter', 'ovs_meter_execute', { module: ovs, pairedWith: { hook: 'meter return', target: 'ovs_meter_execute' } }),
    functionHook('port send', 'ovs_vport_send', {
      module: ovs,
      optional: true,
      degrades: "hand-offs to ports: a device's own consume of a packet (GSO segmentation) may count as a drop",
    }),
    ladder(
      'upcall',
      [
        { tracepoint: 'openvswitch/ovs_dp_upcall', module: ovs },
        { function: 'ovs_dp_upcall', module: ovs },
      ],
      { optional: true, degrades: 'hand-offs to user space: a packet whose last action is userspace() may count as a drop' },
    ),
    tracepointHook('kfree_skb', 'skb/kfree_skb'),
    tracepointHook('consume_skb', 'skb/consume_skb'),
  ],
  configure(cfg, o) {
    cfg.set('cfg_trace', o.trace);
  },
  output: {
    kind: 'stream',
    layout: DropEventLayout,
    columns: [
      kernelTimeColumn(),
      { key: 'cause', header: 'CAUSE' },
      ...flowColumns,
      { key: 'task', header: 'TASK', value: (r: Row) => `${r.comm}/${r.pid}@${r.cpu}` },
      stackText(6),
    ],
    row,
    collect,
  },
});
