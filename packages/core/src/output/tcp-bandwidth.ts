// The --bw-hist section of the TCP histogram tools (tcp-rtt-inflight-hist, tcp-send-rtt-inflight-
// hist): the kernel side is bpf-headers/nettrace/tcp_bw.bpf.h (struct nt_tcp_bw, nt_tcp_bw_add).
import type { HistogramSection } from '../plugin/report.js';
import { withSummary } from './sections.js';

/** Mbit/s per bucket (cfg_bw_step), BCC's. */
export const TCP_BW_STEP_MBPS = 500;

/** The bandwidth histogram with its count, exact mean and percentiles, from struct nt_tcp_bw's
 * slots and sum (as this report shows them). */
export function tcpBandwidthSection(bw: { slots: number[]; sum: number }): HistogramSection {
  return withSummary(
    {
      kind: 'histogram',
      key: 'bandwidth',
      title: 'Bandwidth: packets out x MSS / srtt',
      hist: { label: 'bandwidth', unit: 'Mbit/s', kind: 'linear', step: TCP_BW_STEP_MBPS, counts: bw.slots },
    },
    bw.sum,
  );
}
