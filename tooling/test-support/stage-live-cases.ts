// The live-kernel cases of the stage-latency plugins (tracepoints only: each profile runs degraded
// on the boundary stages it can see) over stage-live.ts's bridge: ICMP, UDP and TCP of a target
// flow and a decoy, exact counts per direction from the devices' own counters, the same
// assertions as in the test kernels (stage-assert.ts), and the degraded stages named.
import type { Profile } from '@nettrace/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith } from './run.js';
import { schemaValidator } from './schema.js';
import { type Dir, expectRecords, expectSummary, type SummaryFinal } from './stage-assert.js';
import { deviceCounts, type LiveBridge, listeners, liveBridge, traffic } from './stage-live.js';

export type LiveKind = 'host' | 'vm' | 'rx';
export type Proto = 'icmp' | 'udp' | 'tcp';
const N = 5;
export const LIVE_PORT = 7301;
const DECOY_PORT = 7302;

export interface LiveCases {
  id: string;
  profile: Profile;
  kind: LiveKind;
  mode: 'summary' | 'details';
  /** Device options for the bridge (host: br0 + vphy; vm: vnet0 + vphy; rx: vphy, which receives
   * through netif_rx and the backlog as an OVS internal port does). */
  devices: (net: LiveBridge) => string[];
  args?: string[];
  directions?: Dir[];
  /** Stages this kernel lets the run see, per direction, in path order. */
  seen: Partial<Record<Dir, string[]>>;
  /** Extra checks on each protocol run (the final record, the target's packets on vphy). */
  check?: (final: Record<string, unknown>, wire: { tx: number; rx: number }, proto: Proto) => void;
}

function flows(net: LiveBridge, kind: LiveKind, proto: Proto) {
  const ping = (from: typeof net.host, to: string) => from.exec('ping', ['-c', String(N), '-i', '0.05', '-W', '2', '-q', to]);
  const me = kind === 'vm' ? net.vm : net.host;
  const myIp = kind === 'vm' ? net.ip.vm : net.ip.host;
  const target = () => {
    if (proto === 'icmp') {
      ping(me, net.ip.peer);
      ping(net.peer, myIp);
    }
    if (proto === 'udp') {
      traffic(me, ['udp-send', net.ip.peer, LIVE_PORT, N]);
      traffic(net.peer, ['udp-send', myIp, LIVE_PORT, N]);
    }
    if (proto === 'tcp') traffic(me, ['tcp-client', net.ip.peer, LIVE_PORT, N]);
  };
  // The decoy crosses the same devices: to another address or port of the peer (for a VM, from
  // the host instead of the VM).
  const decoy = () => {
    const from = kind === 'vm' ? net.host : me;
    if (proto === 'icmp') ping(from, net.ip.decoy);
    else traffic(from, [proto === 'udp' ? 'udp-send' : 'tcp-client', net.ip.peer, DECOY_PORT, N]);
  };
  return { target, decoy, me: myIp };
}

export function stageLiveCases(c: LiveCases) {
  let net: LiveBridge;
  let stop: (() => void)[] = [];
  beforeAll(() => {
    net = liveBridge(100 + (process.pid % 50));
    stop = [net.host, net.peer, net.vm].map((ns) => listeners(ns, [LIVE_PORT, DECOY_PORT]));
  });
  afterAll(() => {
    for (const s of stop) s();
    net?.cleanup();
  });
  const dirs = c.directions ?? ['tx', 'rx'];

  describe(`${c.id} on the live kernel (degraded to tracepoints)`, () => {
    for (const proto of ['icmp', 'udp', 'tcp'] as Proto[]) {
      it(`${proto}: exactly the target flow's packets per direction, through the stages this kernel has`, async () => {
        const f = flows(net, c.kind, proto);
        let wire = { tx: 0, rx: 0 };
        const filter = [
          '-p',
          proto,
          '-s',
          f.me,
          '-d',
          net.ip.peer,
          ...(proto === 'icmp' || c.kind === 'vm' ? [] : ['-D', String(LIVE_PORT)]),
        ];
        const run = await runWith(c.id, ['--netns', net.host.name, ...c.devices(net), ...filter, ...(c.args ?? []), '-o', 'json'], () => {
          const before = deviceCounts(net.host, 'vphy');
          f.target();
          const after = deviceCounts(net.host, 'vphy');
          f.decoy();
          wire = { tx: after.tx - before.tx, rx: after.rx - before.rx };
        });
        const validate = schemaValidator(c.id);
        for (const rec of run.json) expect(validate(rec), JSON.stringify(rec).slice(0, 300)).toBeUndefined();
        for (const d of dirs) expect(wire[d], `${d} packets`).toBeGreaterThanOrEqual(N);
        const e = { wire: Object.fromEntries(dirs.map((d) => [d, wire[d]])) };
        const final = run.json.find((r) => r.type === 'final') as unknown as SummaryFinal & { degraded: string[] };
        if (c.mode === 'summary') expectSummary(c.profile, final, e);
        else expectRecords(c.profile, run.json, e);
        if (c.mode === 'summary')
          for (const d of dirs) {
            const hops = final.pairs.filter((p) => p.direction === d).map((p) => `${p.from}>${p.to}`);
            const seen = c.seen[d] as string[];
            expect(hops).toEqual(seen.slice(1).map((s, i) => `${seen[i]}>${s}`));
          }
        else
          for (const r of run.json.filter((x) => x.type === 'event') as unknown as { direction: Dir; stages: { stage: string }[] }[])
            expect(r.stages.map((s) => s.stage)).toEqual(c.seen[r.direction]);
        expect(final.degraded.length).toBeGreaterThan(0);
        c.check?.(final as unknown as Record<string, unknown>, wire, proto);
      });
    }
  });
}
