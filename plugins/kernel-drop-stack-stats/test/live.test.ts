// Live kernel: UDP datagrams to a closed port inside private namespaces must show up as exactly
// that many NO_SOCKET drops for that flow; filters that exclude them must yield nothing.

import { readdirSync, readFileSync } from 'node:fs';
import { sendUdp, sh, type VethPair, vethPair } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

let net: VethPair;
beforeAll(() => {
  net = vethPair();
});
afterAll(() => net.cleanup());

type Drop = {
  reason: string;
  count: number;
  src_ip: string;
  dst_ip: string;
  src_port: number;
  dst_port: number;
  protocol: string;
  stack: string[];
};
const finalDrops = (json: Record<string, unknown>[]) => (json.find((r) => r.type === 'final')?.drops ?? []) as Drop[];

describe('kernel-drop-stack-stats on the live kernel', () => {
  const cases = [
    { name: 'IPv4', family: 4, count: 7 },
    { name: 'IPv6', family: 6, count: 5 },
  ];
  for (const c of cases) {
    it(`counts exactly N ${c.name} NO_SOCKET drops for the generated flow`, async () => {
      const [src, dst] = c.family === 4 ? [net.ipA, net.ipB] : [net.ip6A, net.ip6B];
      const run = await runWith(
        'kernel-drop-stack-stats',
        ['--src-ip', src, '--dst-ip', dst, '-p', 'udp', '--dst-port', '9', '-o', 'json'],
        () => sendUdp(net.a, { to: dst, port: 9, count: c.count, size: 32, fromPort: 40000 + c.family }),
      );
      const validate = schemaValidator('kernel-drop-stack-stats');
      for (const record of run.json) expect(validate(record)).toBeUndefined();
      const drops = finalDrops(run.json);
      const ours = drops.filter((d) => d.src_ip === src && d.dst_ip === dst && d.dst_port === 9 && d.src_port === 40000 + c.family);
      expect(ours.every((d) => d.reason === 'NO_SOCKET' && d.protocol === 'udp')).toBe(true);
      expect(ours.reduce((n, d) => n + d.count, 0)).toBe(c.count);
      // The filter is applied in the kernel: nothing else was counted.
      expect(drops.reduce((n, d) => n + d.count, 0)).toBe(c.count);
      expect(ours[0].stack.some((f) => /udp/.test(f))).toBe(true);
    });
  }

  it('a filter that excludes the traffic yields no drops', async () => {
    const run = await runWith('kernel-drop-stack-stats', ['--src-ip', '192.0.2.77', '-o', 'json'], () =>
      sendUdp(net.a, { to: net.ipB, port: 9, count: 5 }),
    );
    const final = run.json.find((r) => r.type === 'final') as { totals: { total_drops: number } };
    expect(final.totals.total_drops).toBe(0);
  });

  it('a device is (namespace, ifindex): named from its own namespace, never taken for a host device of the same number', async () => {
    // The drops happen on devB, inside namespace b. A host device gets devB's ifindex (a dummy
    // made with that index when the host has none), so an ifindex-only filter would take them.
    const index = net.b.ifindex(net.devB);
    const hostDev = readdirSync('/sys/class/net').find((d) => Number(readFileSync(`/sys/class/net/${d}/ifindex`, 'utf8')) === index);
    const dummy = hostDev ? undefined : `ntkds${process.pid % 10000}`;
    if (dummy) sh('ip', ['link', 'add', 'name', dummy, 'index', String(index), 'type', 'dummy']);
    try {
      const send = () => sendUdp(net.a, { to: net.ipB, port: 9, count: 3, fromPort: 40100 });
      const count = (json: Record<string, unknown>[]) => finalDrops(json).reduce((n, d) => n + d.count, 0);
      const host = await runWith('kernel-drop-stack-stats', ['--interface', (hostDev ?? dummy)!, '--dst-port', '9', '-o', 'json'], send);
      expect(count(host.json)).toBe(0);
      const inB = await runWith(
        'kernel-drop-stack-stats',
        ['--interface', net.devB, '--netns', net.b.name, '--dst-port', '9', '-o', 'json'],
        send,
      );
      expect(count(inB.json)).toBe(3);
      // Every counted drop names the namespace's device, not the host device of the same number.
      expect(finalDrops(inB.json).map((d) => (d as Drop & { interface: string }).interface)).toEqual([net.devB]);
      // A name that is no device in namespace b takes nothing there (paired with the 3 above).
      const other = await runWith(
        'kernel-drop-stack-stats',
        ['--interface', 'lo', '--netns', net.b.name, '--dst-port', '9', '-o', 'json'],
        send,
      );
      expect(count(other.json)).toBe(0);
      const all = await runWith('kernel-drop-stack-stats', ['--src-ip', net.ipA, '--dst-port', '9', '-o', 'json'], send);
      expect(finalDrops(all.json).map((d) => (d as Drop & { interface: string }).interface)).toEqual([net.devB]);
    } finally {
      if (dummy) sh('ip', ['link', 'del', dummy]);
    }
  });

  it('-g stack keeps devices apart (BCC keys its stack groups by device too): the same stack on two devices is two rows', async () => {
    // The same closed-port drop path on both ends: 3 drops on devB (in b), 2 on devA (in a).
    const run = await runWith('kernel-drop-stack-stats', ['-g', 'stack', '-p', 'udp', '--dst-port', '9', '-n', '100', '-o', 'json'], () => {
      sendUdp(net.a, { to: net.ipB, port: 9, count: 3, fromPort: 40200 });
      sendUdp(net.b, { to: net.ipA, port: 9, count: 2, fromPort: 40201 });
    });
    const validate = schemaValidator('kernel-drop-stack-stats');
    for (const record of run.json) expect(validate(record)).toBeUndefined();
    const byDevice: Record<string, number> = {};
    for (const d of finalDrops(run.json) as (Drop & { interface: string })[]) {
      expect(d.src_ip).toBeUndefined();
      byDevice[d.interface] = (byDevice[d.interface] ?? 0) + d.count;
    }
    expect(byDevice).toEqual({ [net.devB]: 3, [net.devA]: 2 });
  });

  it('table output names the reason and the flow', async () => {
    const run = await runWith('kernel-drop-stack-stats', ['--src-ip', net.ipA, '--group-by', 'flow'], () =>
      sendUdp(net.a, { to: net.ipB, port: 9, count: 2 }),
    );
    const text = run.lines.join('\n');
    expect(text).toMatch(/REASON\s+COUNT/);
    expect(text).toMatch(
      new RegExp(`NO_SOCKET\\s+2\\s+\\d+\\s+udp\\s+${net.ipA.replace(/\./g, '\\.')}:\\d+\\s+${net.ipB.replace(/\./g, '\\.')}:9`),
    );
    expect(text).not.toMatch(/STACK/);
  });
});
