// tcp-send-rtt-inflight-hist: what does TCP's state look like at the moment it sends? For every
// Nth send (tcp_rate_skb_sent) of each matching flow: smoothed RTT, packets out and cwnd
// histograms with mean and p50/p90/p99, optionally the implied bandwidth; per flow: sends,
// samples, retransmissions and the retransmission state. Interval reports hold that interval's
// numbers, the final report the whole run.
import {
  columns,
  countersSection,
  definePlugin,
  flowText,
  type Histogram,
  histogramSummary,
  ladder,
  NtFlowLayout,
  type PluginContext,
  reportCounters,
  sinceLastReport,
  TCP_BW_STEP_MBPS,
  tableSection,
  tcpBandwidthSection,
  tracepointHook,
  vocabulary,
} from '@nettrace/core';
import { contract, createTotals, SendFlowLayout, TotalsLayout } from './tcp_send_rtt_inflight_hist.gen.js';

const options = {
  srcIp: vocabulary.srcIp({ description: 'local address of the socket', aliases: ['laddr'] }),
  dstIp: vocabulary.dstIp({ description: 'remote address of the socket (with --src-ip: either end of the pair)', aliases: ['raddr'] }),
  srcPort: vocabulary.srcPort({ description: 'local port of the socket', aliases: ['lport'] }),
  dstPort: vocabulary.dstPort({ description: 'remote port of the socket', aliases: ['rport'] }),
  sampleRate: vocabulary.sampleRate({ description: 'sample every Nth send of each flow (the 1st, N+1th, ...)' }),
  bwHist: vocabulary.bwHist(),
  top: vocabulary.top({ description: 'flows per report (most sends first)' }),
};

type Ctx = PluginContext<typeof options, typeof contract>;
type Row = Record<string, unknown>;
const FLOW_COUNTS = ['sends', 'samples', 'retransmits', 'rtt_sum'] as const;
/** The flow's state at its last sample (struct nt_tcp_metrics). */
const STATE = ['srtt_us', 'snd_cwnd', 'packets_out', 'retrans_out', 'lost_out', 'sacked_out', 'total_retrans', 'mss_cache'] as const;
const SUMS = ['rtt_sum', 'inflight_sum', 'cwnd_sum'] as const;

/** The totals value as one vector (histogram slots, bandwidth buckets, sums) for sinceLastReport. */
function totalsVector(ctx: Ctx): number[] {
  const t = ctx.read('totals', TotalsLayout) ?? createTotals();
  return [...t.rtt.slots, ...t.inflight.slots, ...t.cwnd.slots, ...SUMS.map((s) => t[s]), ...t.bw.slots, t.bw.sum];
}

function histSection(key: string, title: string, unit: string, counts: number[], sum: number) {
  const hist: Histogram = { label: key, unit, kind: 'log2', counts };
  return { kind: 'histogram' as const, key, title, hist, summary: histogramSummary(hist, sum) };
}

function flowRows(ctx: Ctx): Row[] {
  const now = new Map<string, number[]>();
  const last = new Map<string, Row>();
  for (const { key, value: s, keyBytes } of ctx.entries('flows', NtFlowLayout, SendFlowLayout)) {
    const id = Buffer.from(keyBytes).toString('hex');
    now.set(
      id,
      FLOW_COUNTS.map((c) => s[c]),
    );
    const state = Object.fromEntries(STATE.map((f) => [f, s.last[f]]));
    last.set(id, {
      flow: flowText(key),
      ...state,
      max_retrans_out: s.max_retrans_out,
      max_lost_out: s.max_lost_out,
    });
  }
  return [...sinceLastReport(ctx, 'flows', now)]
    .filter(([, d]) => ctx.final || d[0] || d[2])
    .map(([id, [sends, samples, retransmits, rttSum]]) => ({
      ...last.get(id),
      sends,
      samples,
      retransmits,
      mean_srtt_us: samples ? Math.round(rttSum / samples) : 0,
    }))
    .sort((a, b) => b.sends - a.sends)
    .slice(0, ctx.options.top);
}

function collect(ctx: Ctx) {
  const d = sinceLastReport(ctx, 'totals', new Map([['', totalsVector(ctx)]])).get('') ?? [];
  const at = (i: number, n: number) => d.slice(i, i + n);
  const empty = createTotals();
  const [slots, bwSlots] = [empty.rtt.slots.length, empty.bw.slots.length];
  const [rttSum, inflightSum, cwndSum] = at(3 * slots, SUMS.length);
  const bw = at(3 * slots + SUMS.length, bwSlots + 1);
  const span = ctx.final ? 'whole run' : 'this interval';
  return {
    sections: [
      countersSection('totals', reportCounters(ctx), `Sends (${span}, sample rate 1/${ctx.options.sampleRate})`),
      histSection('rtt', 'Smoothed RTT at send', 'us', at(0, slots), rttSum),
      histSection('inflight', 'Packets out at send (sent, not yet acknowledged)', 'packets', at(slots, slots), inflightSum),
      histSection('cwnd', 'Congestion window at send', 'packets', at(2 * slots, slots), cwndSum),
      ...(ctx.options.bwHist ? [tcpBandwidthSection({ slots: bw.slice(0, bwSlots), sum: bw[bwSlots] })] : []),
      tableSection('flows', `Flows (${span}; state columns at the last sample)`, FLOW_COLUMNS, flowRows(ctx)),
    ],
  };
}

const FLOW_COLUMNS = [
  ...columns({ flow: 'FLOW' }),
  ...[
    'sends',
    'samples',
    'retransmits',
    'mean_srtt_us',
    'srtt_us',
    'snd_cwnd',
    'packets_out',
    'retrans_out',
    'lost_out',
    'total_retrans',
    'mss_cache',
  ].map((k) => ({ key: k, header: k.toUpperCase() })),
];

export default definePlugin({
  id: 'tcp-send-rtt-inflight-hist',
  summary: 'TCP state at each send: srtt, packets out, cwnd distributions (mean, p50/p90/p99), per-flow retransmissions, bandwidth',
  description:
    'Hooks tcp_rate_skb_sent (fentry, else kprobe): once per data skb sent (new, retransmitted, SYN, FIN). Without either, net:net_dev_start_xmit with skb->sk stands in (degraded). Filters match the socket: source = local end.',
  contract,
  options,
  defaultInterval: 1,
  hooks: [
    ladder('tcp sends', [
      { function: 'tcp_rate_skb_sent' },
      {
        tracepoint: 'net/net_dev_start_xmit',
        degrades:
          'sends are counted where they reach a driver: after the qdisc (queued ones later, dropped ones never), once per device on stacked devices, once per segment where GSO segments in software',
      },
    ]),
    tracepointHook('tcp_retransmit_skb', 'tcp/tcp_retransmit_skb', { optional: true, degrades: 'per-flow retransmission counts' }),
  ],
  configure(cfg, o) {
    cfg.set('cfg_every', o.sampleRate);
    cfg.set('cfg_bw', o.bwHist);
    cfg.set('cfg_bw_step', TCP_BW_STEP_MBPS);
    // BCC: with both addresses, either end of the pair may be the local one.
    cfg.set('cfg_either_direction', Number(Boolean(o.srcIp && o.dstIp)));
  },
  output: { kind: 'report', collect },
});
