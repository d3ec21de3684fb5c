// trace-ip-defrag: are IPv4 fragments arriving, being reassembled, timing out or dropped? One line
// per fragment (what ip_defrag did with it) and per timeout; reports per datagram (source,
// destination, IP id, protocol, defrag user) with that interval's numbers, the final one the run.
import {
  columns,
  countersSection,
  definePlugin,
  dropReasonLabel,
  dropReasons,
  formatIp,
  functionHook,
  interfaceColumn,
  interfaceName,
  type KernelEnum,
  monotonicToIso,
  netnsLabel,
  type PluginContext,
  protocolName,
  reportCounters,
  sinceLastReport,
  stackColumn,
  tableSection,
  timeColumn,
  tracepointHook,
  vocabulary,
} from '@nettrace/core';
import { contract, type DefragEvent, DefragEventLayout, type DgramKey, DgramKeyLayout, DgramValLayout } from './trace_ip_defrag.gen.js';

const options = {
  srcIp: vocabulary.srcIp({ description: 'source IPv4 address of the datagram' }),
  dstIp: vocabulary.dstIp({ description: 'destination IPv4 address of the datagram' }),
  protocol: vocabulary.protocol(),
  iface: vocabulary.iface({ description: 'only fragments received on this interface (see --netns)' }),
  netns: vocabulary.netns(),
  summary: { kind: 'flag', long: 'summary', description: 'no per-fragment lines: the per-datagram reports only', default: false } as const,
  verbose: vocabulary.verbose({ description: 'the kernel stack of each dropped fragment and timeout' }),
  top: vocabulary.top({ description: 'datagrams per report (most fragments first)', default: 20 }),
};

type Ctx = PluginContext<typeof options, typeof contract>;
type Row = Record<string, unknown>;
const OUTCOMES: Record<number, string> = { 1: 'queued', 2: 'reassembled', 3: 'dropped' };
const STATS = ['fragments', 'bytes', 'reassembled', 'timeouts', 'dropped'] as const;

/** enum ip_defrag_users names one value per user, and a base for ranges (CONNTRACK_IN + zone). */
export function defragUser(users: KernelEnum | undefined, v: number): string {
  if (!users) return String(v);
  let base: [number, string] | undefined;
  for (const [value, name] of users.values) if (!name.startsWith('__') && value <= v && (!base || value > base[0])) base = [value, name];
  if (!base) return String(v);
  const name = base[1].replace(/^IP_DEFRAG_/, '');
  return base[0] === v ? name : `${name}+${v - base[0]}`;
}

const keyFields = (k: DgramKey, users: KernelEnum | undefined) => ({
  src_ip: formatIp(2, k.saddr),
  dst_ip: formatIp(2, k.daddr),
  ip_id: k.id,
  protocol: protocolName(k.protocol),
  user: defragUser(users, k.user),
});

function row(e: DefragEvent, ctx: Ctx): Row {
  const users = ctx.kernelEnum('ip_defrag_users');
  const timeout = e.line === 2;
  const ns = netnsLabel(e.netns);
  const iface = e.ifname || (!ns && e.ifindex ? interfaceName(e.ifindex) : '') || `#${e.ifindex}`;
  const dropped = e.outcome === 3;
  return {
    time: monotonicToIso(e.ts_ns),
    event: timeout ? 'timeout' : 'fragment',
    ...keyFields(e.key, users),
    interface: iface,
    ...(ns ? { netns: ns } : {}),
    ...(timeout
      ? { bytes_received: e.len }
      : { offset: e.offset, len: e.len, more_fragments: Boolean(e.more), outcome: OUTCOMES[e.outcome] ?? String(e.outcome) }),
    ...(dropped ? { error: e.error, reason: dropReasonLabel(dropReasons(ctx.kernelEnum), e.reason) } : {}),
    pid: e.pid,
    comm: e.comm,
    ...(e.stack_id >= 0 ? { stack: ctx.kernelStack(e.stack_id) } : {}),
  };
}

const eventColumns = [
  timeColumn(),
  ...columns({
    event: { header: 'EVENT', value: (r: Row) => String(r.event).toUpperCase() },
    src_ip: 'SOURCE',
    dst_ip: 'DESTINATION',
    ip_id: 'IP_ID',
    protocol: 'PROTO',
    offset: { header: 'OFFSET', value: (r: Row) => (r.offset === undefined ? '' : `${r.offset}${r.more_fragments ? '+' : ''}`) },
    len: { header: 'LEN', value: (r: Row) => r.len ?? r.bytes_received },
    outcome: {
      header: 'OUTCOME',
      value: (r: Row) => (r.outcome === 'dropped' ? `dropped (${r.reason}, ${r.error})` : (r.outcome ?? 'gave up')),
    },
  }),
  interfaceColumn(),
  stackColumn(),
];

function collect(ctx: Ctx) {
  const users = ctx.kernelEnum('ip_defrag_users');
  const reasons = dropReasons(ctx.kernelEnum);
  const now = new Map<string, number[]>();
  const info = new Map<string, Row>();
  for (const { key, value: val, keyBytes } of ctx.entries('datagrams', DgramKeyLayout, DgramValLayout)) {
    const id = Buffer.from(keyBytes).toString('hex');
    now.set(
      id,
      STATS.map((s) => val[s]),
    );
    const last = val.dropped ? { last_drop: `${dropReasonLabel(reasons, val.last_reason)} (-${val.last_errno})` } : {};
    info.set(id, { ...keyFields(key, users), ...last });
  }
  const active = [...sinceLastReport(ctx, 'datagrams', now)].filter(([, d]) => ctx.final || d.some(Boolean));
  const rows = active
    .map(([id, d]) => ({ ...info.get(id), ...Object.fromEntries(STATS.map((s, i) => [s, d[i]])) }) as Row)
    .sort((a, b) => (b.fragments as number) - (a.fragments as number) || (b.timeouts as number) - (a.timeouts as number))
    .slice(0, ctx.options.top);
  const table = [
    ...columns({ src_ip: 'SOURCE', dst_ip: 'DESTINATION', ip_id: 'IP_ID', protocol: 'PROTO', user: 'USER' }),
    ...STATS.map((s) => ({ key: s, header: s.toUpperCase() })),
    ...columns({ last_drop: { header: 'LAST_DROP', value: (r: Row) => r.last_drop ?? '' } }),
  ];
  const title = `Datagrams (${ctx.final ? 'whole run' : 'this interval'}): ${rows.length} of ${active.length}`;
  return {
    sections: [tableSection('datagrams', title, table, rows), countersSection('totals', reportCounters(ctx), 'Totals')],
  };
}

export default definePlugin({
  id: 'trace-ip-defrag',
  summary: 'IPv4 reassembly per datagram: fragments received, reassembled, timed out, dropped (with the reason)',
  description:
    'Hooks ip_defrag (entry and return: one count per fragment, and what became of it), ip_expire (reassembly timeouts) and skb:kfree_skb inside ip_defrag (drop reasons). Filters are directional: --src-ip is the datagram source.',
  contract,
  options,
  defaultInterval: 5,
  hooks: [
    functionHook('ip_defrag entry', 'ip_defrag'),
    functionHook('ip_defrag return', 'ip_defrag', { exit: true }),
    functionHook('ip_expire', 'ip_expire', { optional: true, degrades: 'reassembly timeouts' }),
    tracepointHook('kfree_skb', 'skb/kfree_skb', { optional: true, degrades: 'drop reasons of dropped fragments' }),
  ],
  configure(cfg, o) {
    cfg.set('cfg_lines', !o.summary);
    cfg.set('cfg_stack', o.verbose);
  },
  output: {
    kind: 'stream',
    layout: DefragEventLayout,
    columns: eventColumns,
    row,
    collect,
  },
});
