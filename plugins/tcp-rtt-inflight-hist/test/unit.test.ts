// Unit: option → rodata mapping, the generated decoders over golden bytes, and the 2-D matrix.
import { parseOptions, recordConfig, renderTable, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import plugin, { matrix } from '../src/index.js';
import { CellSize, decodeCell, TotalsOffsets, TotalsSize } from '../src/tcp_rtt_inflight_hist.gen.js';

const parse = (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, 'tcp-rtt-inflight-hist');

describe('tcp-rtt-inflight-hist configure', () => {
  it('writes the socket filters, the in-flight unit, sampling and the bandwidth switch', () => {
    const vars = Object.fromEntries(recordConfig(plugin, parse(['-s', '10.0.0.1', '-D', '443', '--inflight-unit', 'bytes'])).variables);
    expect(vars).toMatchObject({
      cfg_src_ip_set: 1,
      cfg_src_ip_family: 2,
      cfg_dst_port: 443,
      cfg_inflight_bytes: true,
      cfg_either_direction: 0,
    });
    const defaults = Object.fromEntries(recordConfig(plugin, parse([])).variables);
    expect(defaults).toMatchObject({ cfg_inflight_bytes: false, cfg_every: 1, cfg_bw: false });
  });

  it("accepts BCC's long options: --laddr/--raddr (either orientation), --lport/--rport, --sample-rate, --bw-hist", () => {
    const vars = Object.fromEntries(
      recordConfig(
        plugin,
        parse(['--laddr', '10.0.0.1', '--raddr', '10.0.0.2', '--lport', '5201', '--rport', '40000', '--sample-rate', '4', '--bw-hist']),
      ).variables,
    );
    expect(vars).toMatchObject({
      cfg_src_ip_set: 1,
      cfg_dst_ip_set: 1,
      cfg_src_port: 5201,
      cfg_dst_port: 40000,
      cfg_every: 4,
      cfg_bw: true,
      cfg_either_direction: 1,
    });
    expect(() => parse(['--sample-rate', '0'])).toThrow();
  });
});

describe('decoders', () => {
  it('cell and totals layouts match the BTF', () => {
    const b = new Uint8Array(CellSize);
    new DataView(b.buffer).setUint32(0, 9, true);
    new DataView(b.buffer).setUint32(4, 17, true);
    expect(decodeCell(new DataView(b.buffer), 0)).toEqual({ rtt_slot: 9, inflight_slot: 17 });
    // three 64-slot u64 histograms, the counters and sums, then the bandwidth (64 buckets, sum, samples)
    expect(TotalsOffsets).toMatchObject({ rtt: 0, inflight: 512, cwnd: 1024, hits: 1536, samples: 1544, cwnd_sum: 1592, bw: 1600 });
    expect(TotalsSize).toBe(2128);
  });
});

describe('2-D matrix', () => {
  it('groups cells by RTT bucket with inclusive bounds and renders a matrix', () => {
    const t = matrix(
      [
        { rtt: 6, inflight: 0, count: 3 },
        { rtt: 6, inflight: 15, count: 2 },
        { rtt: 10, inflight: 15, count: 7 },
      ],
      'bytes',
    );
    expect(t.rows).toEqual([
      {
        rtt_low_us: 32,
        rtt_high_us: 63,
        samples: 5,
        inflight: [
          { low: 0, high: 0, count: 3 },
          { low: 16384, high: 32767, count: 2 },
        ],
      },
      { rtt_low_us: 512, rtt_high_us: 1023, samples: 7, inflight: [{ low: 16384, high: 32767, count: 7 }] },
    ]);
    const text = renderTable(t.columns, t.rows).split('\n');
    expect(text[0]).toMatch(/^RTT\(us\) \\ IN-FLIGHT\s+0 -> 0\s+16384 -> 32767\s+TOTAL$/);
    expect(text[1]).toMatch(/^32 -> 63\s+3\s+2\s+5$/);
    expect(text[2]).toMatch(/^512 -> 1023\s+-?\s+7\s+7$/);
  });
});
