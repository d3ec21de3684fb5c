// Unit: options → rodata, BCC's long options as aliases, either-end matching when both addresses
// are given (as BCC), the per-flow decoder over golden bytes.
import { NtTcpMetricsOffsets, parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { decodeSendFlow, SendFlowOffsets, SendFlowSize } from '../src/tcp_send_rtt_inflight_hist.gen.js';

const vars = (argv: string[]) =>
  Object.fromEntries(recordConfig(plugin, parseOptions({ ...runnerOptions, ...plugin.options }, argv, 't')).variables);

describe('tcp-send-rtt-inflight-hist configure', () => {
  it('takes the BCC command line: --laddr --raddr --lport --rport --sample-rate --bw-hist --interval --duration', () => {
    const v = vars([
      '--laddr',
      '10.0.0.1',
      '--raddr',
      '10.0.0.2',
      '--lport',
      '5201',
      '--rport',
      '40000',
      '--sample-rate',
      '4',
      '--bw-hist',
      '--interval',
      '2',
      '--duration',
      '5',
    ]);
    expect(v).toMatchObject({
      cfg_src_ip_set: 1,
      cfg_dst_ip_set: 1,
      cfg_src_port: 5201,
      cfg_dst_port: 40000,
      cfg_every: 4,
      cfg_bw: true,
      cfg_bw_step: 500,
    });
    // both addresses: either end of the pair may be the local one
    expect(v.cfg_either_direction).toBe(1);
  });
  it('one address or none: directional, every send sampled', () => {
    expect(vars(['-s', '10.0.0.1'])).toMatchObject({ cfg_either_direction: 0, cfg_every: 1, cfg_bw: false });
  });
  it('rejects a sample rate of 0', () => {
    expect(() => vars(['--sample-rate', '0'])).toThrow('--sample-rate: must be at least 1');
  });
  it('falls back to device transmits only as a degraded alternative', () => {
    const sends = plugin.hooks[0].alternatives;
    expect(sends.map((a) => [a.kind, Boolean(a.degrades)])).toEqual([
      ['fentry', false],
      ['kprobe', false],
      ['tp_btf', true],
      ['tracepoint', true],
    ]);
  });
});

describe('send_flow decoder', () => {
  it('decodes golden bytes laid out as the BTF says', () => {
    const b = new Uint8Array(SendFlowSize);
    const v = new DataView(b.buffer);
    v.setBigUint64(SendFlowOffsets.sends, 41n, true);
    v.setBigUint64(SendFlowOffsets.retransmits, 3n, true);
    v.setUint32(SendFlowOffsets.max_lost_out, 2, true);
    v.setUint32(SendFlowOffsets.last + NtTcpMetricsOffsets.snd_cwnd, 10, true);
    v.setUint32(SendFlowOffsets.last + NtTcpMetricsOffsets.mss_cache, 1448, true);
    const f = decodeSendFlow(v, 0);
    expect(f).toMatchObject({ sends: 41, retransmits: 3, max_lost_out: 2 });
    expect(f.last).toMatchObject({ snd_cwnd: 10, mss_cache: 1448 });
  });
});
