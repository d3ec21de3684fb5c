// tcp-rtt-inflight-hist: does TCP latency grow with the data in flight (bufferbloat, queueing)?
// Every tcp:tcp_probe of the matching sockets adds (smoothed RTT, in-flight) to a 2-D log2
// histogram, plus 1-D RTT, in-flight and cwnd histograms; reports read the per-CPU maps.
import {
  countersSection,
  definePlugin,
  entriesSinceLastReport,
  histogramSection,
  log2Range,
  type PluginContext,
  sinceLastReport,
  tableSection,
  tracepointHook,
  U64Layout,
  vocabulary,
} from '@nettrace/core';
import { CellLayout, contract, TotalsLayout } from './tcp_rtt_inflight_hist.gen.js';

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

function collect(ctx: PluginContext<typeof options, typeof contract>) {
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
        { samples: t.samples, samples_without_inflight: t.no_inflight, cells_missed: t.cells_missed },
        'tcp_probe samples',
      ),
      histogramSection('rtt', 'Smoothed RTT', t.rtt.slots, 'us', 'srtt'),
      histogramSection('inflight', `In flight (${unit})`, t.inflight.slots, unit, 'in-flight'),
      histogramSection('cwnd', 'Congestion window', t.cwnd.slots, 'packets', 'cwnd'),
      matrix(cells, unit),
    ],
  };
}

export default definePlugin({
  id: 'tcp-rtt-inflight-hist',
  summary: 'TCP smoothed RTT vs data in flight: 2-D histogram, plus RTT, in-flight and cwnd histograms',
  description:
    'Hooks tcp:tcp_probe (tp_btf, else the tracepoint): one sample per segment received on an established connection. Filters match the socket: source = local end, destination = remote end.',
  contract,
  options,
  defaultInterval: 5,
  hooks: [tracepointHook('tcp_probe', 'tcp/tcp_probe')],
  configure(cfg, o) {
    cfg.set('cfg_inflight_packets', o.inflightUnit === 'packets');
  },
  output: { kind: 'report', collect },
});
