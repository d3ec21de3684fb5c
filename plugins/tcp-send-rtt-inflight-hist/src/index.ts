// tcp-send-rtt-inflight-hist: what does TCP's state look like at the moment it sends? For every
// Nth send (tcp_rate_skb_sent) of each matching flow: smoothed RTT, packets out and cwnd
// histograms with mean and p50/p90/p99, optionally the implied bandwidth; per flow: sends,
// samples, retransmissions and the retransmission state. Interval reports hold that interval's
// numbers, the final report the whole run.
import {
  countersSinceLastReport,
  decodeNtFlow,
  definePlugin,
  flowText,
  type Histogram,
  histogramSummary,
  log2CountsFromValue,
  type RunContext,
  sinceLastReport,
  vocabulary,
} from '@nettrace/core';
import { decodeSendFlow, TotalsOffsets } from './tcp_send_rtt_inflight_hist.gen.js';

const options = {
  srcIp: vocabulary.srcIp({ description: 'local address of the socket', aliases: ['laddr'] }),
  dstIp: vocabulary.dstIp({ description: 'remote address of the socket (with --src-ip: either end of the pair)', aliases: ['raddr'] }),
  srcPort: vocabulary.srcPort({ description: 'local port of the socket', aliases: ['lport'] }),
  dstPort: vocabulary.dstPort({ description: 'remote port of the socket', aliases: ['rport'] }),
  sampleRate: {
    kind: 'uint',
    long: 'sample-rate',
    description: 'sample every Nth send of each flow (the 1st, N+1th, ...)',
    default: 1,
    min: 1,
  } as const,
  bwHist: {
    kind: 'flag',
    long: 'bw-hist',
    description: 'bandwidth histogram: packets out x MSS / srtt, 500 Mbit/s buckets',
    default: false,
  } as const,
  top: vocabulary.top({ description: 'flows per report (most sends first)' }),
};

type Values = { sampleRate: number; bwHist: boolean; top: number };
type Row = Record<string, unknown>;
export const COUNTERS = ['sends', 'samples', 'no_rtt', 'retransmits', 'retrans_failed', 'untracked'] as const;
const FLOW_COUNTS = ['sends', 'samples', 'retransmits', 'rtt_sum'] as const;
/** The flow's state at its last sample (struct nt_tcp_metrics). */
const STATE = ['srtt_us', 'snd_cwnd', 'packets_out', 'retrans_out', 'lost_out', 'sacked_out', 'total_retrans', 'mss_cache'] as const;
const BW_SLOTS = 64;
const BW_STEP = 500;
const SUMS = ['rtt_sum', 'inflight_sum', 'cwnd_sum', 'bw_sum', 'bw_samples'] as const;

/** The totals value as one vector (histogram slots, bandwidth buckets, sums) for sinceLastReport. */
function totalsVector(ctx: RunContext<Values>): number[] {
  const map = ctx.object.map('totals');
  const v = map.lookup(new Uint8Array(4)) ?? new Uint8Array(map.valueBytes);
  const hist = (o: number) => log2CountsFromValue(map, v, o);
  const bw = Array.from({ length: BW_SLOTS }, (_, i) => map.sumU64(v, TotalsOffsets.bw + i * 8));
  return [
    ...hist(TotalsOffsets.rtt),
    ...hist(TotalsOffsets.inflight),
    ...hist(TotalsOffsets.cwnd),
    ...bw,
    ...SUMS.map((s) => map.sumU64(v, TotalsOffsets[s])),
  ];
}

function histSection(key: string, title: string, unit: string, counts: number[], sum: number, kind: 'log2' | 'linear' = 'log2') {
  const hist: Histogram = { label: key, unit, kind, counts, ...(kind === 'linear' ? { step: BW_STEP } : {}) };
  return { kind: 'histogram' as const, key, title, hist, summary: histogramSummary(hist, sum) };
}

function flowRows(ctx: RunContext<Values>): Row[] {
  const map = ctx.object.map('flows');
  const now = new Map<string, number[]>();
  const last = new Map<string, Row>();
  for (const [k, v] of map.entries()) {
    const id = Buffer.from(k).toString('hex');
    const s = decodeSendFlow(new DataView(v.buffer), 0);
    now.set(
      id,
      FLOW_COUNTS.map((c) => s[c]),
    );
    const state = Object.fromEntries(STATE.map((f) => [f, s.last[f]]));
    last.set(id, {
      flow: flowText(decodeNtFlow(new DataView(k.buffer), 0)),
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

function collect(ctx: RunContext<Values>) {
  const d = sinceLastReport(ctx, 'totals', new Map([['', totalsVector(ctx)]])).get('') ?? [];
  const at = (i: number, n: number) => d.slice(i, i + n);
  const [rttSum, inflightSum, cwndSum, bwSum] = at(3 * 64 + BW_SLOTS, SUMS.length);
  const span = ctx.final ? 'whole run' : 'this interval';
  return {
    sections: [
      {
        kind: 'counters' as const,
        key: 'totals',
        title: `Sends (${span}, sample rate 1/${ctx.options.sampleRate})`,
        values: countersSinceLastReport(ctx, COUNTERS),
      },
      histSection('rtt', 'Smoothed RTT at send', 'us', at(0, 64), rttSum),
      histSection('inflight', 'Packets out at send (sent, not yet acknowledged)', 'packets', at(64, 64), inflightSum),
      histSection('cwnd', 'Congestion window at send', 'packets', at(128, 64), cwndSum),
      ...(ctx.options.bwHist
        ? [histSection('bandwidth', 'Bandwidth: packets out x MSS / srtt', 'Mbit/s', at(192, BW_SLOTS), bwSum, 'linear')]
        : []),
      {
        kind: 'table' as const,
        key: 'flows',
        title: `Flows (${span}; state columns at the last sample)`,
        columns: [
          { key: 'flow', header: 'FLOW' },
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
        ],
        rows: flowRows(ctx),
      },
    ],
  };
}

export default definePlugin({
  id: 'tcp-send-rtt-inflight-hist',
  summary: 'TCP state at each send: srtt, packets out, cwnd distributions (mean, p50/p90/p99), per-flow retransmissions, bandwidth',
  description:
    'Hooks tcp_rate_skb_sent (fentry, else kprobe): once per data skb sent (new, retransmitted, SYN, FIN). Without either, net:net_dev_start_xmit with skb->sk stands in (degraded). Filters match the socket: source = local end.',
  object: new URL('./tcp_send_rtt_inflight_hist.bpf.o', import.meta.url),
  options,
  defaultInterval: 1,
  hooks: [
    {
      name: 'tcp sends',
      alternatives: [
        { program: 'nt_tsr_sent_fe', kind: 'fentry', target: 'tcp_rate_skb_sent' },
        { program: 'nt_tsr_sent_kp', kind: 'kprobe', target: 'tcp_rate_skb_sent' },
        ...(['tp_btf', 'tracepoint'] as const).map((kind) => ({
          program: kind === 'tp_btf' ? 'nt_tsr_xmit_btf' : 'nt_tsr_xmit_tp',
          kind,
          target: 'net/net_dev_start_xmit',
          degrades:
            'sends are counted where they reach a driver: after the qdisc (queued ones later, dropped ones never), once per device on stacked devices, once per segment where GSO segments in software',
        })),
      ],
    },
    {
      name: 'tcp_retransmit_skb',
      optional: true,
      degrades: 'per-flow retransmission counts',
      alternatives: [
        { program: 'nt_tsr_rtx_btf', kind: 'tp_btf', target: 'tcp/tcp_retransmit_skb' },
        { program: 'nt_tsr_rtx_tp', kind: 'tracepoint', target: 'tcp/tcp_retransmit_skb' },
      ],
    },
  ],
  configure(cfg, o) {
    cfg.set('cfg_every', o.sampleRate);
    cfg.set('cfg_bw', o.bwHist);
    cfg.set('cfg_bw_step', BW_STEP);
    // BCC: with both addresses, either end of the pair may be the local one.
    cfg.set('cfg_either_direction', Number(Boolean(o.srcIp && o.dstIp)));
  },
  output: { kind: 'report', collect: (ctx) => collect(ctx as RunContext<Values>) },
});
