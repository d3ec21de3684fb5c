// ovs-userspace-megaflow: which packets miss the Open vSwitch datapath (an upcall each, with its
// L2/L3/L4 fields, in-port, mark and netlink port), and which megaflow ovs-vswitchd installs for
// them (OVS_FLOW_CMD_NEW: match, mask and actions decoded here), each megaflow with the upcalls it
// covers. Reports: upcalls per (source, destination, protocol) for the period, and counters.
import {
  countersSection,
  definePlugin,
  entriesSinceLastReport,
  flowEndpoint,
  flowFields,
  formatIp,
  formatMac,
  functionHook,
  kernelTimeColumn,
  monotonicToIso,
  ovsUpcallHook,
  type PluginContext,
  protocolName,
  reportCounters,
  reportPeriod,
  tableSection,
} from '@nettrace/core';
import { UpcallCorrelator } from './correlate.js';
import { type MegaflowEvent, MegaflowEventLayout } from './events.js';
import { rowOfFlowNew } from './flow-new.js';
import { macBytes, options } from './options.js';
import { contract, PairKeyLayout, PairValLayout, type UpcallEvent } from './ovs_userspace_megaflow.gen.js';

type Ctx = PluginContext<typeof options, typeof contract>;
type Row = Record<string, unknown>;

const correlators = new WeakMap<object, UpcallCorrelator>();
const correlator = (ctx: Ctx) => {
  let c = correlators.get(ctx.object);
  if (!c) correlators.set(ctx.object, (c = new UpcallCorrelator()));
  return c;
};

function upcallRow(e: UpcallEvent, ctx: Ctx): Row | undefined {
  correlator(ctx).add(e);
  if (ctx.options.flows) return undefined;
  return {
    event: 'UPCALL',
    time: monotonicToIso(e.ts_ns),
    ts_ns: e.ts_ns,
    cmd: e.cmd === 1 ? 'miss' : e.cmd === 2 ? 'action' : String(e.cmd),
    ...flowFields(e.flow),
    ...(e.flow.protocol === 1 || e.flow.protocol === 58 ? { icmp_type: e.flow.icmp_type, icmp_code: e.flow.icmp_code } : {}),
    in_port: e.in_port,
    interface: e.ifname,
    ifindex: e.ifindex,
    skb_mark: e.skb_mark,
    recirc_id: e.recirc_id,
    eth_src: formatMac(e.eth_src),
    eth_dst: formatMac(e.eth_dst),
    eth_type: `0x${e.eth_type.toString(16).padStart(4, '0')}`,
    portid: e.portid,
    len: e.len,
    pid: e.pid,
    comm: e.comm,
  };
}

function row(e: MegaflowEvent, ctx: Ctx): Row | undefined {
  if (e.kind === 'upcall') return upcallRow(e, ctx);
  if (ctx.options.upcalls) return undefined;
  return rowOfFlowNew(e, ctx.options, correlator(ctx));
}

const detail = (r: Row) =>
  r.event === 'UPCALL'
    ? `[${r.interface}] in_port=${r.in_port} mark=${r.skb_mark} portid=${r.portid} ${r.eth_src} > ${r.eth_dst} ${r.eth_type} len=${r.len} ${r.pid}/${r.comm}`
    : `actions:${r.actions} upcalls=${r.upcalls} portid=${r.portid} ${r.pid}/${r.comm}`;

const columns = [
  kernelTimeColumn(),
  { key: 'event', header: 'EVENT' },
  {
    key: 'flow',
    header: 'PACKET / MEGAFLOW MATCH',
    value: (r: Row) => (r.event === 'UPCALL' ? `${r.protocol} ${flowEndpoint(r, 'src')} -> ${flowEndpoint(r, 'dst')}` : r.match),
  },
  { key: 'detail', header: 'DETAIL', value: detail },
];

function collect(ctx: Ctx) {
  const entries = entriesSinceLastReport(ctx, 'upcalls', ctx.entries('upcalls', PairKeyLayout, PairValLayout), ['upcalls', 'bytes']);
  const rows = entries
    .map(({ key, value }) => ({
      src_ip: key.family ? formatIp(key.family, key.saddr) : '-',
      dst_ip: key.family ? formatIp(key.family, key.daddr) : '-',
      protocol: key.family ? protocolName(key.protocol) : 'non-ip',
      upcalls: value.upcalls,
      bytes: value.bytes,
    }))
    .sort((a, b) => b.upcalls - a.upcalls);
  const cols = ['src_ip', 'dst_ip', 'protocol', 'upcalls', 'bytes'].map((key) => ({ key, header: key.toUpperCase() }));
  return {
    sections: [
      tableSection('upcalls', `Upcalls per source, destination and protocol (${reportPeriod(ctx)})`, cols, rows),
      countersSection('counters', reportCounters(ctx)),
    ],
  };
}

export default definePlugin({
  id: 'ovs-userspace-megaflow',
  summary: 'OVS upcalls and the megaflows ovs-vswitchd installs for them (OVS_FLOW_CMD_NEW key, mask, actions decoded)',
  description:
    "Hooks the openvswitch:ovs_dp_upcall tracepoint (5.19+), else ovs_dp_upcall (fentry, else kprobe), and ovs_flow_cmd_new (fentry, else kprobe); module openvswitch. Each upcall is shown from the flow key OVS extracted; each OVS_FLOW_CMD_NEW carries its key, mask and actions attributes, decoded as ovs-dpctl prints them, with the upcalls the megaflow covers. Address, port, protocol and Ethernet filters apply to upcalls in the kernel and to each megaflow's key here.",
  contract,
  options,
  defaultInterval: 5,
  hooks: [ovsUpcallHook(), functionHook('flow_new', 'ovs_flow_cmd_new', { module: 'openvswitch' })],
  configure(cfg, o) {
    cfg.set('cfg_eth_src', macBytes(o.ethSrc));
    cfg.set('cfg_eth_dst', macBytes(o.ethDst));
    cfg.set('cfg_eth_type', o.ethType ?? 0);
    cfg.set('cfg_emit_upcalls', !o.flows);
    cfg.set('cfg_emit_flows', !o.upcalls);
  },
  output: { kind: 'stream', layout: MegaflowEventLayout, columns, row, collect },
});
