// system-network-rx-internal-latency without a kernel: options (BCC's and the libbpf port's
// spellings), the rodata configure() writes (the ten stages on the internal port, the optional NIC
// stage, the CPU pairs of the backlog hop), and the report's hand-off sections from map bytes.
import { createRunContext, NtStageCpuPairKeySize, type RunContext, recordConfig, rxInternalProfile } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { parseFor, stagePluginChecks } from '../../../tooling/test-support/stage-unit.js';
import plugin from '../src/index.js';

const parse = parseFor(plugin);
const vars = (argv: string[]) => Object.fromEntries(recordConfig(plugin, parse(argv)).variables) as Record<string, unknown>;
const positions = rxInternalProfile.rx?.map((s) => s.name) ?? [];

describe('system-network-rx-internal-latency', () => {
  // Tracepoints only: net:netif_rx and net:netif_receive_skb on the internal port stand in.
  stagePluginChecks(plugin, rxInternalProfile, ['--internal-interface', 'lo'], { details: false, aggregate: true, degradedArgs: [] });

  it("accepts BCC's and the libbpf port's spellings with the same meaning", () => {
    const bcc = parse(
      '--phy-interface lo --internal-interface lo --src-ip 10.0.0.2 --dst-ip 10.0.0.1 --src-port 5 --dst-port 2181 --protocol tcp --interval 1'.split(
        ' ',
      ),
    );
    expect(bcc).toEqual(parse('--phy-interface lo -I lo -s 10.0.0.2 -d 10.0.0.1 -S 5 -D 2181 -p tcp -i 1'.split(' ')));
    expect(bcc).toMatchObject({ iface: { name: 'lo' }, phyInterface: { name: 'lo' }, protocol: 6, dstPort: 2181, interval: 1 });
    expect(parse(['--interface', 'lo', '-v'])).toMatchObject({ iface: { name: 'lo' }, verbose: true });
  });

  it('the internal port is required and binds the stages on it; the NIC stage only with --phy-interface', () => {
    expect(() => parse([])).toThrow(/--interface is required/);
    const v = vars(['--internal-interface', 'lo']);
    const lo = parse(['-I', 'lo']).iface.ifindex;
    expect(new DataView((v.cfg_stage_role_ifindex as Uint8Array).buffer).getUint32(2 * 2 * 4, true)).toBe(lo); // role internal
    // rx only: the session starts at vport-send (OVS output to the internal port), ends at l4-rcv.
    expect(v.cfg_stage_first).toEqual(new Uint8Array([0, positions.indexOf('vport-send') + 1]));
    expect(v.cfg_stage_last).toEqual(new Uint8Array([0, positions.length]));
    const phy = vars(['--internal-interface', 'lo', '--phy-interface', 'lo']);
    expect(phy.cfg_stage_first).toEqual(new Uint8Array([0, positions.indexOf('phy-rx') + 1]));
  });

  it('counts the hop into the backlog (the queued stage) by CPU pair, and only that one', () => {
    const bits = new Uint16Array((vars(['-I', 'lo']).cfg_stage_cpu_pair_into as Uint8Array).slice().buffer);
    expect(bits[0]).toBe(0);
    expect(bits[1]).toBe(1 << positions.indexOf('backlog-rx'));
  });

  it("reports the hand-offs per (enqueue CPU, process CPU): each interval's, the final report the whole run", () => {
    const [from, to] = [positions.indexOf('enqueue-backlog'), positions.indexOf('backlog-rx')];
    const pairs: [number, number, number, number, number][] = [
      [from, to, 0, 0, 5],
      [from, to, 0, 1, 3],
    ];
    const object = fakeObject(pairs);
    const values = parse(['-I', 'lo']);
    const out = plugin.output as { collect(c: RunContext<never>): { sections: { key: string; rows?: Record<string, unknown>[] }[] } };
    const rows = (final: boolean) =>
      out
        .collect(createRunContext(plugin, object, values, { final, periodSeconds: 1, btf: {} as never }))
        .sections.find((s) => s.key === 'cpu_pairs')
        ?.rows?.map((r) => [r.from, r.to, r.from_cpu, r.to_cpu, r.count, r.cross]);
    expect(rows(false)).toEqual([
      ['enqueue-backlog', 'backlog-rx', 0, 0, 5, false],
      ['enqueue-backlog', 'backlog-rx', 0, 1, 3, true],
    ]);
    pairs[1] = [from, to, 0, 1, 7];
    expect(rows(false), 'the interval: only what changed').toEqual([['enqueue-backlog', 'backlog-rx', 0, 1, 4, true]]);
    expect(rows(true)?.map((r) => r[4])).toEqual([5, 7]);
  });
});

/** The maps a report reads, empty but for stage_cpu_pairs: [from, to, from_cpu, to_cpu, count] (rx). */
function fakeObject(cpuPairs: [number, number, number, number, number][]) {
  const key = ([from, to, fc, tc]: number[]) => {
    const k = new DataView(new ArrayBuffer(NtStageCpuPairKeySize));
    k.setUint8(0, 1);
    k.setUint8(1, from as number);
    k.setUint8(2, to as number);
    k.setUint32(4, fc as number, true);
    k.setUint32(8, tc as number, true);
    return new Uint8Array(k.buffer);
  };
  const u64 = (n: number) => new Uint8Array(new BigUint64Array([BigInt(n)]).buffer);
  const empty = { entries: () => [], lookup: () => undefined, perCpuViews: () => [], sumU64: () => 0 };
  const maps: Record<string, object> = {
    stage_cpu_pairs: { ...empty, entries: () => cpuPairs.map((p) => [key(p), u64(p[4])]) },
    counters: { ...empty, lookup: () => u64(0), sumU64: () => 0 },
  };
  return { map: (name: string) => maps[name] ?? empty } as unknown as RunContext<never>['object'];
}
