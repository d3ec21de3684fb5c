// A token-bucket qdisc that drops on demand: on side A of a veth pair, a tbf (handle 8001:) with a
// bucket of about one packet at 1 mbit/s, so a burst of datagrams overflows its small limit and tc
// counts every drop. Shared by the qdisc-drop-trace tests.
import type { VethPair } from '@nettrace/plugin-testing';

export interface Tbf {
  /** A fresh tbf (counters from zero) on A's device. */
  reset(): void;
  /** tc -s qdisc's dropped counter of the tbf. */
  dropped(): number;
  /** Packets B's device received so far. */
  delivered(): number;
}

export function tbf(net: VethPair): Tbf {
  // No IPv6 on the shaped device: router solicitations or MLD reports would be offered to (and
  // maybe dropped by) the same qdisc, and tc's counter would no longer be the test's alone.
  net.a.exec('sysctl', ['-qw', `net.ipv6.conf.${net.devA}.disable_ipv6=1`]);
  return {
    reset() {
      net.a.exec('sh', ['-c', `tc qdisc del dev ${net.devA} root 2>/dev/null; true`]);
      net.a.exec('tc', [
        'qdisc',
        'add',
        'dev',
        net.devA,
        'root',
        'handle',
        '8001:',
        'tbf',
        'rate',
        '1mbit',
        'burst',
        '1600',
        'limit',
        '3000',
      ]);
    },
    dropped() {
      const out = net.a.exec('tc', ['-s', 'qdisc', 'show', 'dev', net.devA]);
      const m = /tbf 8001: .*?\n\s*Sent \d+ bytes \d+ pkt \(dropped (\d+),/s.exec(out);
      if (!m) throw new Error(`no tbf counters in:\n${out}`);
      return Number(m[1]);
    },
    delivered() {
      return Number(net.b.exec('cat', [`/sys/class/net/${net.devB}/statistics/rx_packets`]).trim());
    },
  };
}
