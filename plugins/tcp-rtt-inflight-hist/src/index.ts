// tcp-rtt-inflight-hist: does TCP latency grow with the data in flight (bufferbloat, queueing)?
// Every tcp:tcp_probe of the matching sockets adds (smoothed RTT, in-flight) to a 2-D log2
// histogram, plus 1-D RTT, in-flight and cwnd histograms; reports read the per-CPU maps.
import { definePlugin, histogramRange, log2CountsFromValue, type RunContext, tracepointHook, vocabulary } from '@nettrace/core';
import { decodeCell, TotalsOffsets } from './tcp_rtt_inflight_hist.gen.js';

const options = {
  srcIp: vocabulary.srcIp({ description: 'local address of the socket (IPv4/IPv6)' }),
  dstIp: vocabulary.dstIp({ description: 'remote address of the socket (IPv4/IPv6)' }),
  srcPort: vocabulary.srcPort({ description: 'local port of the socket' }),
  dstPort: vocabulary.dstPort({ description: 'remote port of the socket' }),
  inflightUnit: {
    kind: 'enum',
    long: 'inflight-unit',
    choices: ['bytes', 'packets'],
    default: 'bytes',
    description:
      'in-flight as bytes sent and not acknowledged (snd_nxt - snd_una), or packets in flight (packets_out - sacked - lost + retransmitted)',
  } as const,
  clear: vocabulary.clear(),
};

type Values = { inflightUnit: string; clear: boolean };
type Row = Record<string, unknown>;
const range = (slot: number) => histogramRange({ kind: 'log2', label: '', unit: '', counts: [] }, slot).map(Number) as [number, number];
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
  return { kind: 'table' as const, key: 'rtt_inflight', title: `RTT x in-flight (${unit}): samples per cell`, columns, rows };
}

function collect(ctx: RunContext<Values>) {
  const totals = ctx.object.map('totals');
  const cellsMap = ctx.object.map('hist_2d');
  const zero = new Uint8Array(4);
  const t = totals.lookup(zero) ?? new Uint8Array(totals.valueBytes);
  const unit = ctx.options.inflightUnit;
  const cells = cellsMap.entries().map(([k, v]) => {
    const c = decodeCell(new DataView(k.buffer), 0);
    return { rtt: c.rtt_slot, inflight: c.inflight_slot, count: cellsMap.sumU64(v) };
  });
  const hist = (key: string, title: string, label: string, u: string, offset: number) => ({
    kind: 'histogram' as const,
    key,
    title,
    hist: { label, unit: u, kind: 'log2' as const, counts: log2CountsFromValue(totals, t, offset) },
  });
  const counters: Record<string, number> = {
    samples: totals.sumU64(t, TotalsOffsets.samples),
    samples_without_inflight: totals.sumU64(t, TotalsOffsets.no_inflight),
    cells_missed: totals.sumU64(t, TotalsOffsets.cells_missed),
  };
  if (ctx.options.clear) {
    totals.update(zero, new Uint8Array(totals.valueBytes));
    cellsMap.clear();
  }
  return {
    sections: [
      { kind: 'counters' as const, key: 'totals', title: 'tcp_probe samples', values: counters },
      hist('rtt', 'Smoothed RTT', 'srtt', 'us', TotalsOffsets.rtt),
      hist('inflight', `In flight (${unit})`, 'in-flight', unit, TotalsOffsets.inflight),
      hist('cwnd', 'Congestion window', 'cwnd', 'packets', TotalsOffsets.cwnd),
      matrix(cells, unit),
    ],
  };
}

export default definePlugin({
  id: 'tcp-rtt-inflight-hist',
  summary: 'TCP smoothed RTT vs data in flight: 2-D histogram, plus RTT, in-flight and cwnd histograms',
  description:
    'Hooks tcp:tcp_probe (tp_btf, else the tracepoint): one sample per segment received on an established connection. Filters match the socket: source = local end, destination = remote end.',
  object: new URL('./tcp_rtt_inflight_hist.bpf.o', import.meta.url),
  options,
  defaultInterval: 5,
  hooks: [tracepointHook('tcp_probe', 'tcp/tcp_probe', { tp_btf: 'nt_trih_btf', tracepoint: 'nt_trih_tp' })],
  configure(cfg, o) {
    cfg.set('cfg_inflight_packets', o.inflightUnit === 'packets');
  },
  output: { kind: 'report', collect: (ctx) => collect(ctx as RunContext<Values>) },
});
