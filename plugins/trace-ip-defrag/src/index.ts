// trace-ip-defrag: are IPv4 fragments arriving, being reassembled, timing out or dropped? One line
// per fragment (what ip_defrag did with it) and per timeout; reports per datagram (source,
// destination, IP id, protocol, defrag user) with that interval's numbers, the final one the run.
import {
  countersSinceLastReport,
  definePlugin,
  dropReasonLabel,
  dropReasons,
  formatIp,
  interfaceColumn,
  interfaceName,
  type KernelEnum,
  kernelStack,
  monotonicToIso,
  netnsLabel,
  protocolName,
  type RunContext,
  sinceLastReport,
  stackColumn,
  timeColumn,
  tracepointHook,
  vocabulary,
} from '@nettrace/core';
import { type DefragEvent, DefragEventLayout, type DgramKey, decodeDgramKey, decodeDgramVal } from './trace_ip_defrag.gen.js';

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

type Values = { summary: boolean; verbose: boolean; top: number };
type Row = Record<string, unknown>;
const OUTCOMES: Record<number, string> = { 1: 'queued', 2: 'reassembled', 3: 'dropped' };
export const COUNTERS = [
  'fragments',
  'queued',
  'reassembled',
  'dropped',
  'timeouts',
  'unmatched_returns',
  'too_deep',
  'untracked',
] as const;
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

function row(e: DefragEvent, ctx: RunContext<Values>): Row {
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
    ...(e.stack_id >= 0 ? { stack: kernelStack(ctx.object, e.stack_id, ctx.symbols()) } : {}),
  };
}

const columns = [
  timeColumn(),
  { key: 'event', header: 'EVENT', value: (r: Row) => String(r.event).toUpperCase() },
  { key: 'src_ip', header: 'SOURCE' },
  { key: 'dst_ip', header: 'DESTINATION' },
  { key: 'ip_id', header: 'IP_ID' },
  { key: 'protocol', header: 'PROTO' },
  { key: 'offset', header: 'OFFSET', value: (r: Row) => (r.offset === undefined ? '' : `${r.offset}${r.more_fragments ? '+' : ''}`) },
  { key: 'len', header: 'LEN', value: (r: Row) => r.len ?? r.bytes_received },
  {
    key: 'outcome',
    header: 'OUTCOME',
    value: (r: Row) => (r.outcome === 'dropped' ? `dropped (${r.reason}, ${r.error})` : (r.outcome ?? 'gave up')),
  },
  interfaceColumn(),
  stackColumn(),
];

function collect(ctx: RunContext<Values>) {
  const users = ctx.kernelEnum('ip_defrag_users');
  const reasons = dropReasons(ctx.kernelEnum);
  const map = ctx.object.map('datagrams');
  const now = new Map<string, number[]>();
  const info = new Map<string, Row>();
  for (const [k, v] of map.entries()) {
    const id = Buffer.from(k).toString('hex');
    const val = decodeDgramVal(new DataView(v.buffer), 0);
    now.set(
      id,
      STATS.map((s) => val[s]),
    );
    const last = val.dropped ? { last_drop: `${dropReasonLabel(reasons, val.last_reason)} (-${val.last_errno})` } : {};
    info.set(id, { ...keyFields(decodeDgramKey(new DataView(k.buffer), 0), users), ...last });
  }
  const active = [...sinceLastReport(ctx, 'datagrams', now)].filter(([, d]) => ctx.final || d.some(Boolean));
  const rows = active
    .map(([id, d]) => ({ ...info.get(id), ...Object.fromEntries(STATS.map((s, i) => [s, d[i]])) }) as Row)
    .sort((a, b) => (b.fragments as number) - (a.fragments as number) || (b.timeouts as number) - (a.timeouts as number))
    .slice(0, ctx.options.top);
  return {
    sections: [
      {
        kind: 'table' as const,
        key: 'datagrams',
        title: `Datagrams (${ctx.final ? 'whole run' : 'this interval'}): ${rows.length} of ${active.length}`,
        columns: [
          { key: 'src_ip', header: 'SOURCE' },
          { key: 'dst_ip', header: 'DESTINATION' },
          { key: 'ip_id', header: 'IP_ID' },
          { key: 'protocol', header: 'PROTO' },
          { key: 'user', header: 'USER' },
          ...STATS.map((s) => ({ key: s, header: s.toUpperCase() })),
          { key: 'last_drop', header: 'LAST_DROP', value: (r: Row) => r.last_drop ?? '' },
        ],
        rows,
      },
      { kind: 'counters' as const, key: 'totals', title: 'Totals', values: countersSinceLastReport(ctx, COUNTERS) },
    ],
  };
}

export default definePlugin({
  id: 'trace-ip-defrag',
  summary: 'IPv4 reassembly per datagram: fragments received, reassembled, timed out, dropped (with the reason)',
  description:
    'Hooks ip_defrag (entry and return: one count per fragment, and what became of it), ip_expire (reassembly timeouts) and skb:kfree_skb inside ip_defrag (drop reasons). Filters are directional: --src-ip is the datagram source.',
  object: new URL('./trace_ip_defrag.bpf.o', import.meta.url),
  options,
  defaultInterval: 5,
  hooks: [
    {
      name: 'ip_defrag entry',
      alternatives: [
        { program: 'nt_df_entry_fe', kind: 'fentry', target: 'ip_defrag' },
        { program: 'nt_df_entry_kp', kind: 'kprobe', target: 'ip_defrag' },
      ],
    },
    {
      name: 'ip_defrag return',
      alternatives: [
        { program: 'nt_df_ret_fx', kind: 'fexit', target: 'ip_defrag' },
        { program: 'nt_df_ret_kr', kind: 'kretprobe', target: 'ip_defrag' },
      ],
    },
    {
      name: 'ip_expire',
      optional: true,
      degrades: 'reassembly timeouts',
      alternatives: [
        { program: 'nt_df_expire_fe', kind: 'fentry', target: 'ip_expire' },
        { program: 'nt_df_expire_kp', kind: 'kprobe', target: 'ip_expire' },
      ],
    },
    tracepointHook(
      'kfree_skb',
      'skb/kfree_skb',
      { tp_btf: 'nt_df_free_btf', tracepoint: 'nt_df_free_tp' },
      { optional: true, degrades: 'drop reasons of dropped fragments' },
    ),
  ],
  configure(cfg, o) {
    cfg.set('cfg_lines', !o.summary);
    cfg.set('cfg_stack', o.verbose);
  },
  output: {
    kind: 'stream',
    layout: DefragEventLayout,
    columns,
    row: (e, ctx) => row(e, ctx as RunContext<Values>),
    collect: (ctx) => collect(ctx as RunContext<Values>),
  },
});
