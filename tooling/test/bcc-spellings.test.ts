// BCC's own option spellings (from the BCC scripts' argparse, beyond catalog Appendix A's shapes)
// are accepted and mean exactly what nettrace's spelling means: both command lines parse to the
// same values. Options whose meaning is new (syscall-recv-latency --port and --process) are
// checked against real calls in that plugin's live test.
import { describe, expect, it } from 'vitest';
import { formatHelp, parseOptions, runnerOptions } from '../../packages/core/dist/index.js';
import { loadPlugin } from '../test-support/run.js';

/** [plugin, BCC's command line, nettrace's spelling of it]. `lo` exists on every host. */
const SPELLINGS: [string, string, string][] = [
  ['kernel-drop-stack-stats', '--name lo --group-by fivetuple --top 3 --interval 1', '--interface lo --group-by flow -n 3 -i 1'],
  ['kernel-drop-stack-stats', '--group-by stack --max-entries 4096 --duration 5', '-g stack --max-entries 4096 -T 5'],
  ['eth-drop', '--no-stack-trace --l4-protocol udp --interface lo', '--no-stack --protocol udp -I lo'],
  ['eth-drop', '--disable-normal-filter --verbose --type ipv4', '--all-frees -v --type ipv4'],
  ['iface-netstat', '--name lo --interval 0.5 --throughput', '-I lo -i 0.5 --throughput'],
  ['syscall-recv-latency', '--high-latency-threshold 1000 --interval 5 --duration 10', '--threshold 1000 -i 5 -T 10'],
  ['syscall-recv-latency', '--process iperf3 --port 5201', '--process iperf3 --port 5201'],
  ['qdisc-latency-details', '--dev lo --proto tcp --src-port 80', '-I lo -p tcp -S 80'],
  [
    'system-network-performance-metrics',
    '--internal-interface lo --phy-interface lo --latency-us 100 --protocol all --direction both --enable-ct --verbose',
    '--internal-interface lo --phy-interface lo -t 100 -p all -r both --enable-ct -v',
  ],
  // The libbpf port's long options (its -i/-I letters are swapped against nettrace's vocabulary).
  ['system-network-performance-metrics', '--internal-interface lo --phy-interface lo --interface lo --interval 5 --histogram', '--internal-interface lo --phy-interface lo -I lo -i 5 -H'],
  ['ovs-kernel-drop-monitor', '--src 10.0.0.1 --dst 10.0.0.2 --protocol all --src-port 5 --dst-port 6', '-s 10.0.0.1 -d 10.0.0.2 -p all -S 5 -D 6'],
  ['ovs-kernel-drop-monitor', '--src-ip 10.0.0.1 --dst-ip 10.0.0.2 --protocol udp --trace --verbose', '-s 10.0.0.1 -d 10.0.0.2 -p udp --trace -v'],
  [
    'ovs-userspace-megaflow',
    '--ip-src 10.0.0.1 --ip-dst 10.0.0.2 --ip-proto 17 --l4-src-port 53 --l4-dst-port 5353 --debug',
    '-s 10.0.0.1 -d 10.0.0.2 -p udp -S 53 -D 5353 -v',
  ],
  ['ovs-userspace-megaflow', '--eth-src 02:00:00:00:00:01 --eth-dst 02:00:00:00:00:02 --eth-type 0x0800', '--eth-src 02:00:00:00:00:01 --eth-dst 02:00:00:00:00:02 --eth-type 0x0800'],
  [
    'system-network-icmp-rtt',
    '--src-ip 10.0.0.1 --dst-ip 10.0.0.2 --phy-interface lo --direction rx --latency-ms 1 --disable-kernel-stacks',
    '-s 10.0.0.1 -d 10.0.0.2 --phy-iface1 lo -r rx --latency-ms 1 --disable-kernel-stacks',
  ],
];

describe("BCC's option spellings run with nettrace's meaning", () => {
  for (const [id, bcc, ours] of SPELLINGS)
    it(`${id} ${bcc}`, async () => {
      const plugin = await loadPlugin(id);
      const schema = { ...runnerOptions, ...plugin.options };
      const parse = (line: string) => parseOptions(schema, line.split(' '), id);
      const values = parse(bcc);
      expect(values).toEqual(parse(ours));
      // Every option of the BCC line was taken (none silently defaulted).
      expect(Object.keys(values).length).toBeGreaterThanOrEqual(bcc.split(' ').filter((w) => w.startsWith('--')).length);
    });

  it('an interval takes decimals to the millisecond, as BCC iface_netstat -i 0.5 did, and nothing else', () => {
    const parse = (v: string) => parseOptions(runnerOptions, ['-i', v], 'x').interval;
    expect(parse('0.5')).toBe(0.5);
    expect(parse('2')).toBe(2);
    expect(parse('0.125')).toBe(0.125);
    for (const bad of ['1e3', '-1', '0.0001', '.5', '1.', 'abc']) expect(() => parse(bad)).toThrow(/--interval/);
  });

  it('a choice alias is shown in help and a wrong value names the real choices', async () => {
    const plugin = await loadPlugin('kernel-drop-stack-stats');
    expect(formatHelp(plugin.options)).toMatch(/--group-by <all\|stack\|flow> .*fivetuple = flow/);
    expect(() => parseOptions(plugin.options, ['--group-by', 'fivetuples'], 'k')).toThrow(/is not one of all, stack, flow/);
  });
});
