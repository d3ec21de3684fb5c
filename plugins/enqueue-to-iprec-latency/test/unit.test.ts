// Unit: the object and hooks, configure() (summary always, threshold events only with a
// threshold), BCC's spellings, the required interface; a session record decoded from golden bytes;
// and the report from the kernel's maps as laid out: per pair (histogram, CPU hand-offs) and end
// to end, each interval report holding that interval's packets, the final report the whole run.
import {
  createRunContext,
  crossCpuSection,
  decodeNtStageSession,
  enqueueToIprecProfile,
  NtFlowOffsets,
  NtHistOffsets,
  NtPktKeyOffsets,
  NtStageMarkOffsets,
  NtStageMarkSize,
  NtStageSessionOffsets,
  NtStageSessionSize,
  NtStageStatsOffsets,
  NtStageStatsSize,
  type RunContext,
  recordConfig,
} from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { parseFor, stagePluginChecks } from '../../../tooling/test-support/stage-unit.js';
import plugin from '../src/index.js';

const parse = parseFor(plugin);
const vars = (argv: string[]) => Object.fromEntries(recordConfig(plugin, parse(argv)).variables) as Record<string, unknown>;

describe('enqueue-to-iprec-latency', () => {
  // Tracepoints only: net:netif_rx and net:netif_receive_skb stand in for the two functions, ip_rcv is lost.
  stagePluginChecks(plugin, enqueueToIprecProfile, ['--interface', 'lo'], { details: false, aggregate: true, degradedArgs: [] });

  it("accepts BCC's spellings with the same meaning", () => {
    const bcc = parse('--interface lo --src-ip 10.0.0.2 --dst-ip 10.0.0.1 --dst-port 2181 --protocol tcp --interval 1 --debug'.split(' '));
    expect(bcc).toEqual(parse('-I lo -s 10.0.0.2 -d 10.0.0.1 -D 2181 -p tcp -i 1 -v'.split(' ')));
    expect(bcc).toMatchObject({ iface: { name: 'lo' }, protocol: 6, dstPort: 2181, interval: 1, verbose: true });
    for (const t of ['--threshold', '--threshold-us', '--latency-us', '-t'])
      expect(parse(['--interface', 'lo', t, '250']).threshold, t).toBe(250);
  });

  it('summary always; threshold events only with a threshold, filtered in the kernel in ns', () => {
    expect(vars(['--interface', 'lo'])).toMatchObject({ cfg_stage_aggregate: 1, cfg_stage_details: 0, cfg_stage_threshold_ns: 0n });
    expect(vars(['--interface', 'lo', '--threshold-us', '1000'])).toMatchObject({
      cfg_stage_aggregate: 1,
      cfg_stage_details: 1,
      cfg_stage_threshold_ns: 1_000_000n,
    });
    expect(vars(['--interface', 'lo', '-t', '0'])).toMatchObject({ cfg_stage_details: 1, cfg_stage_threshold_ns: 0n });
  });

  it('the interface is required and binds the two backlog stages', () => {
    expect(() => parse([])).toThrow(/--interface is required/);
    const v = vars(['--interface', 'lo']);
    const lo = parse(['--interface', 'lo']).iface.ifindex;
    expect(new DataView((v.cfg_stage_role_ifindex as Uint8Array).buffer).getUint32(2 * 2 * 4, true)).toBe(lo); // role internal
    expect(v.cfg_stage_first).toEqual(new Uint8Array([0, 1]));
    expect(v.cfg_stage_last).toEqual(new Uint8Array([0, 3]));
  });

  it('decodes a threshold event: the three stages with the time since the previous and their CPUs', () => {
    const b = new Uint8Array(NtStageSessionSize);
    const v = new DataView(b.buffer);
    const f = NtStageSessionOffsets.key + NtPktKeyOffsets.flow;
    b.set([2, 6], f); // IPv4, TCP
    v.setUint16(f + NtFlowOffsets.sport, 40000, true);
    v.setUint16(f + NtFlowOffsets.dport, 2181, true);
    b.set([70, 0, 0, 32], f + NtFlowOffsets.saddr);
    b.set([70, 0, 0, 31], f + NtFlowOffsets.daddr);
    v.setUint32(NtStageSessionOffsets.key + NtPktKeyOffsets.tcp_seq, 123456, true);
    v.setBigUint64(NtStageSessionOffsets.first_ns, 5000n, true);
    v.setBigUint64(NtStageSessionOffsets.last_ns, 160000n, true);
    b[NtStageSessionOffsets.dir] = 1;
    b[NtStageSessionOffsets.stamps] = 3;
    b[NtStageSessionOffsets.flags] = 2; // NT_SF_CROSS_CPU
    b.set([0, 1, 2], NtStageSessionOffsets.order);
    for (const [pos, ts, cpu] of [
      [0, 5000, 0],
      [1, 150000, 1],
      [2, 160000, 1],
    ] as const) {
      const m = NtStageSessionOffsets.marks + pos * NtStageMarkSize;
      v.setBigUint64(m + NtStageMarkOffsets.ts_ns, BigInt(ts), true);
      v.setUint16(m + NtStageMarkOffsets.cpu, cpu, true);
    }
    const row = plugin.output.kind === 'stream' ? plugin.output.row(decodeNtStageSession(v, 0), {} as never) : undefined;
    expect(row).toMatchObject({
      direction: 'rx',
      protocol: 'tcp',
      src_ip: '70.0.0.32',
      dst_ip: '70.0.0.31',
      dst_port: 2181,
      tcp_seq: 123456,
      total_ns: 155000,
      flags: ['cross_cpu'],
      stages: [
        { stage: 'enqueue', delta_ns: 0, cpu: 0 },
        { stage: 'netif-receive', delta_ns: 145000, cpu: 1 },
        { stage: 'ip-rcv', delta_ns: 10000, cpu: 1 },
      ],
    });
  });

  it('CPU hand-offs per pair, the asynchronous boundary marked', () => {
    const s = crossCpuSection([
      { from: 'enqueue', to: 'netif-receive', queued: true, count: 8, cross_cpu: 3 },
      { from: 'netif-receive', to: 'ip-rcv', queued: false, count: 8, cross_cpu: 0 },
    ]);
    expect(s.kind === 'table' && s.rows).toEqual([
      { from: 'enqueue', to: 'netif-receive', count: 8, same_cpu: 5, cross_cpu: 3, cross_cpu_pct: 37.5, boundary: true },
      { from: 'netif-receive', to: 'ip-rcv', count: 8, same_cpu: 8, cross_cpu: 0, cross_cpu_pct: 0, boundary: false },
    ]);
  });
});

/** nt_stage_stats as the kernel lays it out (one CPU): count, sum, max, cross-CPU, one histogram slot. */
function stats(count: number, sumNs: number, maxNs: number, cross: number, slot: number) {
  const v = new DataView(new ArrayBuffer(NtStageStatsSize));
  v.setBigUint64(NtStageStatsOffsets.count, BigInt(count), true);
  v.setBigUint64(NtStageStatsOffsets.sum_ns, BigInt(sumNs), true);
  v.setBigUint64(NtStageStatsOffsets.max_ns, BigInt(maxNs), true);
  v.setBigUint64(NtStageStatsOffsets.cross_cpu, BigInt(cross), true);
  v.setBigUint64(NtStageStatsOffsets.hist + NtHistOffsets.slots + slot * 8, BigInt(count), true);
  return new Uint8Array(v.buffer);
}

/** The maps a report reads: stage_pairs (rx enqueue -> netif-receive -> ip-rcv), stage_totals, counters. */
function fakeObject(state: { n: number; cross: number }) {
  const pairKey = (from: number, to: number) => new Uint8Array([1, from, to, 0]);
  const counterNames = plugin.contract.counters as readonly string[];
  const u64 = (n: number) => new Uint8Array(new BigUint64Array([BigInt(n)]).buffer);
  const maps: Record<string, object> = {
    stage_pairs: {
      entries: () => [
        [pairKey(0, 1), stats(state.n, state.n * 40_000, 90_000, state.cross, 16)],
        [pairKey(1, 2), stats(state.n, state.n * 2_000, 3_000, 0, 11)],
      ],
      perCpuViews: (v: Uint8Array) => [new DataView(v.buffer, v.byteOffset, v.byteLength)],
    },
    stage_totals: {
      lookup: (k: Uint8Array) => (k[0] === 1 ? stats(state.n, state.n * 42_000, 93_000, state.cross, 16) : undefined),
      perCpuViews: (v: Uint8Array) => [new DataView(v.buffer, v.byteOffset, v.byteLength)],
    },
    counters: {
      lookup: (k: Uint8Array) => {
        const name = counterNames[k[0] as number];
        return u64(name === 'rx_started' || name === 'rx_completed' ? state.n : name === 'rx_cross_cpu' ? state.cross : 0);
      },
      sumU64: (v: Uint8Array) => Number(new DataView(v.buffer).getBigUint64(0, true)),
    },
  };
  return { map: (name: string) => maps[name] } as unknown as RunContext<never>['object'];
}

describe('reports', () => {
  it("each interval report holds that interval's packets, the final report the whole run", () => {
    const state = { n: 4, cross: 1 };
    const object = fakeObject(state);
    const values = parse(['--interface', 'lo']);
    const ctx = (final: boolean) => createRunContext(plugin, object, values, { final, periodSeconds: 1, btf: {} as never });
    type Sec = { key: string; rows?: Record<string, unknown>[]; hist?: { counts: number[] } };
    const out = plugin.output as { collect(c: RunContext<never>): { sections: Sec[] } };
    const collect = (final: boolean) => out.collect(ctx(final)).sections;
    const key = (s: Sec[], k: string) => s.find((x) => x.key === k);

    const first = collect(false);
    expect(key(first, 'sessions')?.rows).toMatchObject([{ direction: 'rx', started: 4, completed: 4, cross_cpu: 1 }]);
    expect(key(first, 'pairs')?.rows?.map((r) => [r.from, r.to, r.count, r.queued])).toEqual([
      ['enqueue', 'netif-receive', 4, true],
      ['netif-receive', 'ip-rcv', 4, false],
    ]);
    expect(key(first, 'cross_cpu')?.rows?.[0]).toMatchObject({ count: 4, cross_cpu: 1, cross_cpu_pct: 25, boundary: true });
    expect(key(first, 'hist_rx_enqueue_netif-receive')?.hist?.counts[16]).toBe(4);
    expect(key(first, 'path'), 'the path only in the final report (or with -v)').toBeUndefined();

    state.n = 10;
    state.cross = 7;
    const second = collect(false);
    expect(key(second, 'sessions')?.rows).toMatchObject([{ started: 6, completed: 6, cross_cpu: 6 }]);
    expect(key(second, 'pairs')?.rows?.map((r) => r.count)).toEqual([6, 6]);
    expect(key(second, 'cross_cpu')?.rows?.[0]).toMatchObject({ count: 6, cross_cpu: 6, cross_cpu_pct: 100 });
    expect(key(second, 'hist_rx_enqueue_netif-receive')?.hist?.counts[16]).toBe(6);
    expect(key(second, 'totals')?.rows).toMatchObject([{ from: 'enqueue', to: 'ip-rcv', count: 6, sum_ns: 6 * 42_000 }]);

    const final = collect(true);
    expect(key(final, 'sessions')?.rows).toMatchObject([{ started: 10, completed: 10, cross_cpu: 7 }]);
    expect(key(final, 'cross_cpu')?.rows?.[0]).toMatchObject({ count: 10, cross_cpu: 7, cross_cpu_pct: 70 });
    expect(key(final, 'totals')?.rows).toMatchObject([{ count: 10, sum_ns: 420_000 }]);
    expect(key(final, 'path')?.rows?.map((r) => r.stage)).toEqual(['enqueue', 'netif-receive', 'ip-rcv']);
  });
});
