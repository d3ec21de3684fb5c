// The live kernel's stand-in for a host with an OVS bridge, for the stage-latency plugins' degraded
// runs (tracepoints only): a "host" namespace whose Linux bridge br0 holds the host's address (as
// an OVS internal port does) with a "physical" veth as its port, and a "peer" namespace at the
// other end of that veth. A "vm" namespace can hang off a second bridge port (a VM's tap). IPv6 is
// off and neighbours are static, so only the test's packets cross the devices: their own counters
// are the ground truth.
import { join } from 'node:path';
import { Netns, sh } from '@nettrace/plugin-testing';
import { repoRoot } from '../src/paths.mjs';

export interface LiveBridge {
  host: Netns;
  peer: Netns;
  vm: Netns;
  ip: { host: string; peer: string; decoy: string; vm: string };
  cleanup(): void;
}

const TRAFFIC = join(repoRoot, 'tooling/test-support/stage-traffic.cjs');

export function liveBridge(subnet = 60 + (process.pid % 100)): LiveBridge {
  const host = Netns.create('nslh');
  const peer = Netns.create('nslp');
  const vm = Netns.create('nslv');
  const ip = { host: `10.${subnet}.7.1`, peer: `10.${subnet}.7.2`, decoy: `10.${subnet}.7.3`, vm: `10.${subnet}.7.4` };
  const no6 = (ns: Netns, dev: string) => ns.exec('sysctl', ['-qw', `net.ipv6.conf.${dev}.disable_ipv6=1`]);
  host.ip('link', 'add', 'br0', 'type', 'bridge');
  no6(host, 'br0');
  for (const [port, ns] of [
    ['vphy', peer],
    ['vnet0', vm],
  ] as const) {
    sh('ip', ['link', 'add', port, 'netns', host.name, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.name]);
    no6(host, port);
    no6(ns, 'eth0');
    host.ip('link', 'set', port, 'master', 'br0', 'up');
    ns.ip('link', 'set', 'eth0', 'up');
  }
  host.ip('addr', 'add', `${ip.host}/24`, 'dev', 'br0');
  host.ip('link', 'set', 'br0', 'up');
  peer.ip('addr', 'add', `${ip.peer}/24`, 'dev', 'eth0');
  peer.ip('addr', 'add', `${ip.decoy}/24`, 'dev', 'eth0');
  vm.ip('addr', 'add', `${ip.vm}/24`, 'dev', 'eth0');
  const mac = (ns: Netns, dev: string) => ns.exec('cat', [`/sys/class/net/${dev}/address`]).trim();
  for (const a of [ip.peer, ip.decoy]) {
    host.ip('neigh', 'replace', a, 'lladdr', mac(peer, 'eth0'), 'dev', 'br0', 'nud', 'permanent');
    vm.ip('neigh', 'replace', a, 'lladdr', mac(peer, 'eth0'), 'dev', 'eth0', 'nud', 'permanent');
  }
  host.ip('neigh', 'replace', ip.vm, 'lladdr', mac(vm, 'eth0'), 'dev', 'br0', 'nud', 'permanent');
  peer.ip('neigh', 'replace', ip.host, 'lladdr', mac(host, 'br0'), 'dev', 'eth0', 'nud', 'permanent');
  peer.ip('neigh', 'replace', ip.vm, 'lladdr', mac(vm, 'eth0'), 'dev', 'eth0', 'nud', 'permanent');
  vm.ip('neigh', 'replace', ip.host, 'lladdr', mac(host, 'br0'), 'dev', 'eth0', 'nud', 'permanent');
  // Learned forwarding entries, so the bridge never floods the test's packets to the other port.
  host.exec('bridge', ['fdb', 'replace', mac(peer, 'eth0'), 'dev', 'vphy', 'master', 'static']);
  host.exec('bridge', ['fdb', 'replace', mac(vm, 'eth0'), 'dev', 'vnet0', 'master', 'static']);
  return {
    host,
    peer,
    vm,
    ip,
    cleanup: () => {
      for (const ns of [host, peer, vm]) ns.delete();
    },
  };
}

/** Packets a device of `ns` sent and received so far. */
export function deviceCounts(ns: Netns, dev: string): { tx: number; rx: number } {
  const read = (c: string) => Number(ns.exec('cat', [`/sys/class/net/${dev}/statistics/${c}`]).trim());
  return { tx: read('tx_packets'), rx: read('rx_packets') };
}

/** Runs a stage-traffic.cjs client inside `ns` (see that file for the modes). */
export function traffic(ns: Netns, args: (string | number)[]): string {
  return ns.exec(process.execPath, [TRAFFIC, ...args.map(String)]);
}

/** Starts the UDP sinks and TCP servers a test's flows need, inside `ns`; returns a stopper. */
export function listeners(ns: Netns, ports: number[]): () => void {
  const pids = ports.flatMap((p) =>
    ['udp-sink', 'tcp-server'].map((mode) =>
      Number(
        sh('ip', ['netns', 'exec', ns.name, 'sh', '-c', `${process.execPath} ${TRAFFIC} ${mode} ${p} >/dev/null 2>&1 & echo $!`]).trim(),
      ),
    ),
  );
  sh('sleep', ['0.5']);
  return () => {
    for (const pid of pids) {
      try {
        process.kill(pid);
      } catch {
        // already gone
      }
    }
  };
}
