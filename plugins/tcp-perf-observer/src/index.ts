// tcp-perf-observer: for the matching TCP connections, how are smoothed RTT and connect latency
// distributed, how many connects fail, segments are retransmitted and packets dropped, which
// states the sockets went through, and which individual samples, connects, retransmissions and
// drops stand out? Histograms/counters per report + events.
import {
  countersSection,
  definePlugin,
  dropReasonLabel,
  dropReasons,
  enumLabel,
  flowEndpoint,
  flowFields,
  histogramSection,
  kernelTimeColumn,
  monotonicToIso,
  type PluginContext,
  sinceLastReport,
  tracepointHook,
  vocabulary,
  withSummary,
} from '@nettrace/core';
import { contract, type TcpEvent, TcpEventLayout, TotalsLayout, TpoEventType } from './tcp_perf_observer.gen.js';

// include/net/tcp_states.h (uapi-stable values)
const STATES = [
  '-',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
];
const UNKNOWN = 0xffffffff;

const options = {
  srcIp: vocabulary.srcIp({ description: 'local address of the socket (with --dst-ip: either end of the pair)', aliases: ['laddr'] }),
  dstIp: vocabulary.dstIp({ description: 'remote address of the socket (with --src-ip: either end of the pair)', aliases: ['raddr'] }),
  srcPort: vocabulary.srcPort({ description: 'local port of the socket', aliases: ['lport'] }),
  dstPort: vocabulary.dstPort({ description: 'remote port of the socket', aliases: ['rport'] }),
  rttThreshold: {
    kind: 'uint',
    long: 'rtt-threshold',
    aliases: ['rtt-threshold-us'],
    unit: 'us',
    default: 10000,
    description: 'print an RTT event for every smoothed-RTT sample at least this high',
  } as const,
  connlatThreshold: {
    kind: 'uint',
    long: 'connlat-threshold',
    aliases: ['connlat-threshold-us'],
    unit: 'us',
    default: 20000,
    description: 'print a CONNLAT event for every connect at least this slow',
  } as const,
  mode: {
    kind: 'enum',
    long: 'mode',
    choices: ['both', 'summary', 'detail'],
    default: 'both',
    description: 'summary: histograms and counters only; detail: events and counters; both',
  } as const,
  detailRate: {
    kind: 'uint',
    long: 'detail-rate',
    default: 200,
    description: 'at most this many events per CPU per second, counted in the kernel (0: no limit)',
  } as const,
  sampleRate: vocabulary.sampleRate({
    description: 'put every Nth tcp_probe hit of each socket in the RTT histogram (the 1st, N+1th, ...)',
  }),
  clear: vocabulary.clear(),
};

type Row = Record<string, unknown>;
type Ctx = PluginContext<typeof options, typeof contract>;

/** The states sock:inet_sock_set_state can report (TIME_WAIT and NEW_SYN_RECV belong to mini
 * sockets that never pass through it), in BCC's order. */
const COUNTED_STATES = [
  'SYN_SENT',
  'SYN_RECV',
  'ESTABLISHED',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'CLOSING',
  'LISTEN',
];

function eventFields(e: TcpEvent, ctx: Ctx): Row {
  const known = (n: number) => (n === UNKNOWN ? undefined : n);
  switch (e.type) {
    case TpoEventType.EV_CONNLAT:
      return { connect_latency_us: e.metric_us };
    case TpoEventType.EV_DROP:
      return {
        reason: dropReasonLabel(dropReasons(ctx.kernelEnum), e.reason),
        reason_code: e.reason,
        location: ctx.symbols().symbolize(e.location),
      };
    default:
      return {
        srtt_us: e.metric_us,
        snd_cwnd: e.snd_cwnd,
        snd_ssthresh: e.snd_ssthresh,
        ...(known(e.total_retrans) !== undefined ? { total_retrans: e.total_retrans } : {}),
        ...(e.type === TpoEventType.EV_RETRANS ? { err: e.err } : {}),
      };
  }
}

function row(e: TcpEvent, ctx: Ctx): Row {
  return {
    time: monotonicToIso(e.ts_ns),
    ts_ns: e.ts_ns,
    event: enumLabel(TpoEventType, e.type, 'EV_') ?? String(e.type),
    ...flowFields(e.flow),
    state: STATES[e.state] ?? String(e.state),
    ...eventFields(e, ctx),
    pid: e.pid,
    comm: e.comm,
  };
}

const columns = [
  kernelTimeColumn(),
  { key: 'event', header: 'EVENT' },
  { key: 'src', header: 'LOCAL', value: (r: Row) => flowEndpoint(r, 'src') },
  { key: 'dst', header: 'REMOTE', value: (r: Row) => flowEndpoint(r, 'dst') },
  { key: 'state', header: 'STATE' },
  { key: 'metric', header: 'US', align: 'right' as const, value: (r: Row) => r.connect_latency_us ?? r.srtt_us },
  { key: 'snd_cwnd', header: 'CWND', align: 'right' as const },
  { key: 'snd_ssthresh', header: 'SSTHRESH', align: 'right' as const },
  { key: 'total_retrans', header: 'RETRANS', align: 'right' as const },
  { key: 'drop', header: 'DROP REASON/AT', value: (r: Row) => (r.reason === undefined ? undefined : `${r.reason} ${r.location}`) },
  { key: 'task', header: 'PID/COMM', value: (r: Row) => `${r.pid}/${r.comm}` },
];

function collect(ctx: Ctx) {
  const read = ctx.read('totals', TotalsLayout);
  if (!read) throw new Error('tcp-perf-observer: totals[0] is missing');
  const { rtt, connlat, rtt_sum, connlat_sum, state_entered, ...counters } =
    sinceLastReport(ctx, 'totals', new Map([['', read]])).get('') ?? read;
  const states = Object.fromEntries(COUNTED_STATES.map((name) => [name, state_entered[STATES.indexOf(name)]]));
  return {
    sections: [
      countersSection('counters', counters, 'TCP'),
      countersSection('states', states, 'TCP states entered'),
      ...(ctx.options.mode === 'detail'
        ? []
        : [
            withSummary(histogramSection('rtt', 'Smoothed RTT', rtt.slots, 'us'), rtt_sum),
            withSummary(histogramSection('connlat', 'Connect latency (SYN_SENT -> ESTABLISHED)', connlat.slots, 'us'), connlat_sum),
          ]),
    ],
  };
}

export default definePlugin({
  id: 'tcp-perf-observer',
  summary: 'TCP smoothed RTT and connect latency histograms, retransmissions, drops, state counters, and events for outliers',
  description:
    'Hooks tcp:tcp_probe (RTT samples), sock:inet_sock_set_state (states entered; SYN_SENT -> ESTABLISHED = connect latency, active opens), tcp:tcp_retransmit_skb and skb:kfree_skb (drops of packets of matching sockets, with the reason), each as tp_btf, else the tracepoint. Filters match the socket: source = local end, destination = remote end; with both addresses, either end.',
  contract,
  options,
  defaultInterval: 5,
  hooks: [
    tracepointHook('tcp_probe', 'tcp/tcp_probe'),
    tracepointHook('inet_sock_set_state', 'sock/inet_sock_set_state'),
    tracepointHook('tcp_retransmit_skb', 'tcp/tcp_retransmit_skb'),
    tracepointHook('kfree_skb', 'skb/kfree_skb'),
  ],
  configure(cfg, o) {
    cfg.set('cfg_rtt_threshold_us', o.rttThreshold);
    cfg.set('cfg_connlat_threshold_us', o.connlatThreshold);
    cfg.set('cfg_events', o.mode !== 'summary');
    cfg.set('cfg_event_rate', o.detailRate);
    cfg.set('cfg_every', o.sampleRate);
    // BCC: with both addresses, either end of the pair may be the local one.
    cfg.set('cfg_either_direction', Number(Boolean(o.srcIp && o.dstIp)));
  },
  output: {
    kind: 'stream',
    layout: TcpEventLayout,
    columns,
    row: (e, ctx) => row(e, ctx),
    collect,
  },
});
