// tcp-rtt-inflight-hist: does TCP latency grow with the data in flight (bufferbloat, queueing)?
// Every Nth tcp:tcp_probe of each matching socket adds (smoothed RTT, in-flight) to a 2-D log2
// histogram, plus 1-D RTT, in-flight and cwnd histograms (mean, p50/p90/p99) and optionally the
// implied bandwidth; the sockets' retransmission state as BCC reported it.
import {
  countersSection,
  definePlugin,
  entriesSinceLastReport,
  histogramSection,
  log2Range,
  NtFlowLayout,
  type PluginContext,
  reportPeriod,
  sinceLastReport,
  TCP_BW_STEP_MBPS,
  tableSection,
  tcpBandwidthSection,
  tracepointHook,
  U64Layout,
  vocabulary,
  withSummary,
} from '@nettrace/core';
import { CellLayout, contract, ProbeFlowLayout, TotalsLayout } from './tcp_rtt_inflight_hist.gen.js';

const options = {
  srcIp: vocabulary.srcIp({ description: 'local address of the socket (with --dst-ip: either end of the pair)', aliases: ['laddr'] }),
  dstIp: vocabulary.dstIp({ description: 'remote address of the socket (with --src-ip: either end of the pair)', aliases: ['raddr'] }),
  srcPort: vocabulary.srcPort({ description: 'local port of the socket', aliases: ['lport'] }),
  dstPort: vocabulary.dstPort({ description: 'remote port of the socket', aliases: ['rport'] }),
  inflightUnit: {
    kind: 'enum',
    long: 'inflight-unit',
    choices: ['packets', 'bytes'],
    default: 'packets',
    description: 'in-flight as packets sent and not acknowledged (packets_out, as BCC), or bytes (snd_nxt - snd_una)',
  } as const,
  sampleRate: vocabulary.sampleRate({ description: 'sample every Nth tcp_probe hit of each socket (the 1st, N+1th, ...)' }),
  bwHist: vocabulary.bwHist(),
  clear: vocabulary.clear(),
};

type Row = Record<string, unknown>;
const range = (slot: number) => log2Range(slot).map(Number) as [number, number];
const rangeText = (slot: number) => range(slot).join(' -> ');

/** 2-D cells → one row per RTT bucket with its in-flight buckets; columns for the text matrix. */
export function matrix(cells: { rtt: number; inflight: number; count: number }[], unit: string) {
  const inflightSlots = [...new Set(cells.map((c) => c.inflight))].sort((a, b) => a - b);
  const rows = [...new Set(cells.map((c) => c.rtt))]
    .sort((a, b) => a - b)
    .map((rtt) => {
      const mine = cells.filter((c) => c.rtt === rtt).sort((a, b) => a.inflight - b.inflight);
      const [low, high] = range(rtt);
      return {
        rtt_low_us: low,
        rtt_high_us: high,
        samples: mine.reduce((n, c) => n + c.count, 0),
        inflight: mine.map((c) => ({ low: range(c.inflight)[0], high: range(c.inflight)[1], count: c.count })),
      };
    });
  const columns = [
    { key: 'rtt', header: 'RTT(us) \\ IN-FLIGHT', value: (r: Row) => `${r.rtt_low_us} -> ${r.rtt_high_us}` },
    ...inflightSlots.map((s) => ({
      key: `if${s}`,
      header: rangeText(s),
      align: 'right' as const,
      value: (r: Row) => (r.inflight as { low: number; count: number }[]).find((c) => c.low === range(s)[0])?.count ?? '',
    })),
    { key: 'samples', header: 'TOTAL' },
  ];
  return tableSection('rtt_inflight', `RTT x in-flight (${unit}): samples per cell`, columns, rows);
}

type Ctx = PluginContext<typeof options, typeof contract>;

/** Retransmission state over the sockets, as BCC's [Retransmissions] line: total_retrans at each
 * socket's last sample (summed), how much it grew in the report's period, retrans_out and
 * lost_out at the last sample, and their highest values seen. */
function retransmissions(ctx: Ctx) {
  const rows = new Map<
    string,
    { hits: number; grown: number; total: number; out: number; lost: number; maxOut: number; maxLost: number }
  >();
  for (const { value: v, keyBytes } of ctx.entries('flows', NtFlowLayout, ProbeFlowLayout)) {
    if (!v.known) continue;
    rows.set(Buffer.from(keyBytes).toString('hex'), {
      hits: v.hits,
      grown: v.total_retrans - v.first_total_retrans,
      total: v.total_retrans,
      out: v.retrans_out,
      lost: v.lost_out,
      maxOut: v.max_retrans_out,
      maxLost: v.max_lost_out,
    });
  }
  const out = { total_retrans: 0, retrans_delta: 0, retrans_out: 0, lost_out: 0, max_retrans_out: 0, max_lost_out: 0 };
  for (const r of sinceLastReport(ctx, 'flows', rows, ['hits', 'grown']).values()) {
    out.total_retrans += r.total;
    out.retrans_delta += r.grown;
    out.max_retrans_out = Math.max(out.max_retrans_out, r.maxOut);
    out.max_lost_out = Math.max(out.max_lost_out, r.maxLost);
    if (!r.hits) continue; // no sample in this interval: its state is not this interval's
    out.retrans_out += r.out;
    out.lost_out += r.lost;
  }
  return out;
}

function collect(ctx: Ctx) {
  const unit = ctx.options.inflightUnit;
  const read = ctx.read('totals', TotalsLayout);
  if (!read) throw new Error('tcp-rtt-inflight-hist: totals[0] is missing');
  const t = sinceLastReport(ctx, 'totals', new Map([['', read]])).get('') ?? read;
  const cells = entriesSinceLastReport(
    ctx,
    'hist_2d',
    ctx.entries('hist_2d', CellLayout, U64Layout).map((e) => ({ ...e, value: { count: e.value } })),
    ['count'],
  ).map(({ key, value }) => ({ rtt: key.rtt_slot, inflight: key.inflight_slot, count: value.count }));

  return {
    sections: [
      countersSection(
        'totals',
        {
          hits: t.hits,
          samples: t.samples,
          samples_without_inflight: t.no_inflight,
          cells_missed: t.cells_missed,
          flows_untracked: t.flows_untracked,
        },
        `tcp_probe samples (${reportPeriod(ctx)}, sample rate 1/${ctx.options.sampleRate})`,
      ),
      withSummary(histogramSection('rtt', 'Smoothed RTT', t.rtt.slots, 'us', 'srtt'), t.rtt_sum),
      withSummary(histogramSection('inflight', `In flight (${unit})`, t.inflight.slots, unit, 'in-flight'), t.inflight_sum),
      withSummary(histogramSection('cwnd', 'Congestion window', t.cwnd.slots, 'packets', 'cwnd'), t.cwnd_sum),
      countersSection('retransmissions', retransmissions(ctx), 'Retransmissions'),
      ...(ctx.options.bwHist ? [tcpBandwidthSection(t.bw)] : []),
      matrix(cells, unit),
    ],
  };
}

export default definePlugin({
  id: 'tcp-rtt-inflight-hist',
  summary: 'TCP smoothed RTT vs packets in flight: 2-D histogram, RTT, in-flight and cwnd histograms (mean, p50/p90/p99), retransmissions',
  description:
    'Hooks tcp:tcp_probe (tp_btf, else the tracepoint): one sample per segment received on an established connection. Filters match the socket: source = local end, destination = remote end; with both addresses, either end.',
  contract,
  options,
  defaultInterval: 1,
  hooks: [tracepointHook('tcp_probe', 'tcp/tcp_probe')],
  configure(cfg, o) {
    cfg.set('cfg_inflight_bytes', o.inflightUnit === 'bytes');
    cfg.set('cfg_every', o.sampleRate);
    cfg.set('cfg_bw', o.bwHist);
    cfg.set('cfg_bw_step', TCP_BW_STEP_MBPS);
    // BCC: with both addresses, either end of the pair may be the local one.
    cfg.set('cfg_either_direction', Number(Boolean(o.srcIp && o.dstIp)));
  },
  output: { kind: 'report', collect },
});
