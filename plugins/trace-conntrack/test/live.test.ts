// Live kernel: where kprobes and fentry are missing (the machines this project runs on) the plugin
// runs degraded on its tracepoint rung, the entry each transmitted packet carries; the full points
// are proven in test/kernel.test.ts. N TCP connections from namespace a to b, with a's OUTPUT
// chain tracking them: every packet a sends to the port is one event (a's own rule counter counts
// them), each connection on one entry, its SYN NEW/SYN_SENT and its handshake ACK
// ESTABLISHED/ESTABLISHED, in the catalog's shape --src-ip A --dst-ip B --protocol tcp.

import { type VethPair, vethPair } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';
import { tcpClients, tcpServer } from '../../../tooling/test-support/tcp.js';

const PORT = 5302;
const N = 3;
let net: VethPair;
const validate = schemaValidator('trace-conntrack');

type Ev = Record<string, unknown> & { point: string; ct: string; packet: Record<string, unknown> & { tcp_flags: string[] } };

beforeAll(() => {
  net = vethPair();
  // The conntrack match makes a track connections; the plain rule counts what a sends.
  net.a.exec('iptables', ['-A', 'OUTPUT', '-m', 'conntrack', '--ctstate', 'NEW,ESTABLISHED', '-j', 'ACCEPT']);
  net.a.exec('iptables', ['-I', 'OUTPUT', '-p', 'tcp', '--dport', String(PORT)]);
  net.a.exec('iptables', ['-I', 'OUTPUT', '-p', 'icmp', '--icmp-type', 'echo-request']);
});
afterAll(() => net.cleanup());

/** Packets a sent that match `rule` (a line of its OUTPUT chain), from its own rule counter. */
function sent(rule: RegExp = /dpt:5302/): number {
  const line = net.a
    .exec('iptables', ['-nvxL', 'OUTPUT'])
    .split('\n')
    .find((l) => rule.test(l) && !/ctstate/.test(l));
  return Number(line?.trim().split(/\s+/)[0]);
}

describe('trace-conntrack on the live kernel', () => {
  it('N TCP connections: on the tracepoint rung one event per packet sent, each connection on one entry', async () => {
    const server = await tcpServer(net.b, net.ipB, PORT);
    let clients: { localPorts: number[] } = { localPorts: [] };
    const before = sent();
    const r = await runWith(
      'trace-conntrack',
      ['--src-ip', net.ipA, '--dst-ip', net.ipB, '--protocol', 'tcp', '--netns', net.a.name, '-o', 'json'],
      async () => {
        clients = await tcpClients(net.a, { to: net.ipB, port: PORT, connections: N, bytes: 100 });
      },
    );
    await server.close();
    for (const l of r.json) expect(validate(l)).toBeUndefined();
    const header = r.json.find((l) => l.type === 'header') as { plan: { hook: string; chosen: { kind: string } | null }[] };
    const chosen = header.plan.find((h) => h.hook === 'nf_conntrack_in return')?.chosen?.kind;
    const events = r.json.filter((l) => l.type === 'event') as Ev[];
    const final = r.json.find((l) => l.type === 'final') as { per_point: { point: string; tcp: number }[] };
    if (chosen !== 'tp_btf' && chosen !== 'tracepoint') {
      // A kernel with kprobes or fentry: the full points (their counts are the kernel test's).
      expect(events.filter((e) => e.point === 'new').length).toBe(N);
      return;
    }
    expect(events.every((e) => e.point === 'xmit')).toBe(true);
    expect(events.length).toBe(sent() - before);
    expect(clients.localPorts.length).toBe(N);
    for (const port of clients.localPorts) {
      const conn = events.filter((e) => e.packet.src_port === port);
      expect(new Set(conn.map((e) => e.ct)).size).toBe(1);
      expect(conn.slice(0, 2).map((e) => [e.packet.tcp_flags.join('|'), e.ctinfo, e.tcp_state])).toEqual([
        ['SYN', 'NEW', 'SYN_SENT'],
        ['ACK', 'ESTABLISHED', 'ESTABLISHED'],
      ]);
      expect(conn[1].status_flags).toEqual(expect.arrayContaining(['CONFIRMED', 'SEEN_REPLY', 'ASSURED']));
    }
    expect(final.per_point.find((row) => row.point === 'xmit')?.tcp).toBe(events.length);
  }, 60_000);

  it('N pings (--protocol icmp): one event per echo request sent, all on one entry, the first NEW', async () => {
    const before = sent(/icmptype 8/);
    const r = await runWith(
      'trace-conntrack',
      ['--src-ip', net.ipA, '--dst-ip', net.ipB, '--protocol', 'icmp', '--netns', net.a.name, '-o', 'json'],
      () => {
        net.a.exec('ping', ['-q', '-n', '-c', String(N), '-i', '0.2', '-W', '1', net.ipB]);
      },
    );
    for (const l of r.json) expect(validate(l)).toBeUndefined();
    const events = r.json.filter((l) => l.type === 'event') as Ev[];
    const header = r.json.find((l) => l.type === 'header') as { plan: { hook: string; chosen: { kind: string } | null }[] };
    const chosen = header.plan.find((h) => h.hook === 'nf_conntrack_in return')?.chosen?.kind;
    if (chosen !== 'tp_btf' && chosen !== 'tracepoint') {
      expect(events.filter((e) => e.point === 'new').length).toBe(1);
      return;
    }
    expect(sent(/icmptype 8/) - before).toBe(N);
    expect(events.map((e) => [e.point, e.packet.protocol, e.ctinfo])).toEqual([
      ['xmit', 'icmp', 'NEW'],
      ...Array.from({ length: N - 1 }, () => ['xmit', 'icmp', 'ESTABLISHED']),
    ]);
    expect(new Set(events.map((e) => e.ct)).size).toBe(1);
  }, 60_000);
});
