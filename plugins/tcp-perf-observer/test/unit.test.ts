// Unit: option → rodata mapping and golden bytes → decoded event → output row.
import { parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { TcpEventOffsets as at, decodeTcpEvent, TcpEventSize } from '../src/tcp_perf_observer.gen.js';

const parse = (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, 'tcp-perf-observer');
const vars = (argv: string[]) => Object.fromEntries(recordConfig(plugin, parse(argv)).variables);

describe('tcp-perf-observer configure', () => {
  it('writes the socket filters, thresholds, mode and event rate', () => {
    expect(
      vars([
        '-d',
        'fd00::2',
        '-D',
        '443',
        '--rtt-threshold',
        '500',
        '--connlat-threshold',
        '1000',
        '--mode',
        'summary',
        '--detail-rate',
        '0',
      ]),
    ).toMatchObject({
      cfg_dst_ip_set: 1,
      cfg_dst_ip_family: 10,
      cfg_dst_port: 443,
      cfg_rtt_threshold_us: 500,
      cfg_connlat_threshold_us: 1000,
      cfg_events: false,
      cfg_event_rate: 0,
    });
    expect(vars([])).toMatchObject({
      cfg_rtt_threshold_us: 10000,
      cfg_connlat_threshold_us: 20000,
      cfg_events: true,
      cfg_event_rate: 200,
      cfg_every: 1,
      cfg_either_direction: 0,
    });
  });

  it("accepts BCC's spellings: --laddr/--raddr (either orientation), --lport/--rport, --*-threshold-us, --sample-rate", () => {
    const argv = [
      '--laddr',
      '10.0.0.1',
      '--raddr',
      '10.0.0.2',
      '--lport',
      '40000',
      '--rport',
      '5201',
      '--rtt-threshold-us',
      '5000',
      '--connlat-threshold-us',
      '8000',
      '--sample-rate',
      '4',
    ];
    expect(vars(argv)).toMatchObject({
      cfg_src_ip_set: 1,
      cfg_dst_ip_set: 1,
      cfg_src_port: 40000,
      cfg_dst_port: 5201,
      cfg_rtt_threshold_us: 5000,
      cfg_connlat_threshold_us: 8000,
      cfg_every: 4,
      cfg_either_direction: 1,
    });
  });
});

function golden(type: number): DataView {
  const b = new Uint8Array(TcpEventSize);
  const v = new DataView(b.buffer);
  v.setBigUint64(at.ts_ns, 5_000_000_000n, true);
  v.setUint32(at.pid, 321, true);
  b[at.type] = type;
  b[at.state] = type === 3 ? 4 : 1; // FIN_WAIT1 / ESTABLISHED
  v.setUint32(at.metric_us, type === 4 ? 0 : 1234, true);
  v.setUint32(at.snd_cwnd, type === 4 ? 0 : 10, true);
  v.setUint32(at.snd_ssthresh, type === 4 ? 0 : 7, true);
  v.setUint32(at.total_retrans, type === 1 || type === 4 ? 0xffffffff : 2, true); // unknown for the RTT sample
  v.setInt32(at.err, type === 3 ? -11 : 0, true);
  v.setUint32(at.reason, type === 4 ? 5 : 0, true);
  v.setBigUint64(at.location, type === 4 ? 0xffffffff81000000n : 0n, true);
  b.set(Buffer.from('curl'), at.comm);
  b[at.flow] = 2; // family
  b[at.flow + 1] = 6; // protocol
  v.setUint16(at.flow + 2, 40000, true); // sport
  v.setUint16(at.flow + 4, 443, true); // dport
  b.set([10, 0, 0, 1], at.flow + 8); // saddr
  b.set([10, 0, 0, 2], at.flow + 24); // daddr
  return v;
}

describe('tcp_event decoding and rows', () => {
  // The run context a DROP row reads: reason names from the kernel (none here) and kernel symbols.
  const ctx = {
    kernelEnum: () => undefined,
    symbols: () => ({ symbolize: (a: bigint) => (a === 0xffffffff81000000n ? 'tcp_v4_rcv+0x99' : '?') }),
  };
  const row = (type: number) =>
    plugin.output.kind === 'stream' ? plugin.output.row(decodeTcpEvent(golden(type), 0), ctx as never) : undefined;
  const flow = { protocol: 'tcp', src_ip: '10.0.0.1', src_port: 40000, dst_ip: '10.0.0.2', dst_port: 443, pid: 321, comm: 'curl' };

  it('RTT sample: srtt, window; total_retrans omitted when unknown', () => {
    const r = row(1)!;
    expect(r).toMatchObject({ ...flow, event: 'RTT', state: 'ESTABLISHED', srtt_us: 1234, snd_cwnd: 10, snd_ssthresh: 7 });
    expect(r).not.toHaveProperty('total_retrans');
    expect(r).not.toHaveProperty('err');
  });

  it('CONNLAT: the latency only', () => {
    const r = row(2)!;
    expect(r).toMatchObject({ ...flow, event: 'CONNLAT', state: 'ESTABLISHED', connect_latency_us: 1234 });
    expect(r).not.toHaveProperty('snd_cwnd');
  });

  it('RETRANS: state, window, retransmit total and the kernel result', () => {
    expect(row(3)).toMatchObject({
      ...flow,
      event: 'RETRANS',
      state: 'FIN_WAIT1',
      srtt_us: 1234,
      snd_cwnd: 10,
      total_retrans: 2,
      err: -11,
    });
  });

  it('DROP: reason (a number when the kernel has no names for it) and where it was freed, no RTT fields', () => {
    const r = row(4)!;
    expect(r).toMatchObject({ ...flow, event: 'DROP', state: 'ESTABLISHED', reason: '5', reason_code: 5, location: 'tcp_v4_rcv+0x99' });
    expect(r).not.toHaveProperty('srtt_us');
    expect(r).not.toHaveProperty('err');
  });
});
