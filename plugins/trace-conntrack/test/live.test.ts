// Live kernel: where kprobes and fentry are missing (the machines this project runs on) the plugin
// runs degraded on its tracepoint rung, the entry each transmitted packet carries; the full points
// are proven in test/kernel.test.ts. N TCP connections from namespace a to b, with a's OUTPUT
// chain tracking them: every packet a sends to the port is one event (a's own rule counter counts
// them), each connection on one entry, its SYN NEW/SYN_SENT and its handshake ACK
// ESTABLISHED/ESTABLISHED, in the catalog's shape --src-ip A --dst-ip B --protocol tcp.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sendUdp, type VethPair, vethPair } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';
import { tcpClients, tcpServer } from '../../../tooling/test-support/tcp.js';

const PORT = 5302;
const OTHER_PORT = 5303;
const UDP_PORT = 5304;
const N = 3;
let net: VethPair;
const validate = schemaValidator('trace-conntrack');

type Ev = Record<string, unknown> & { point: string; ct: string; packet: Record<string, unknown> & { tcp_flags: string[] } };

beforeAll(() => {
  net = vethPair();
  // The conntrack match makes a track connections; the plain rule counts what a sends.
  net.a.exec('iptables', ['-A', 'OUTPUT', '-m', 'conntrack', '--ctstate', 'NEW,ESTABLISHED', '-j', 'ACCEPT']);
  net.a.exec('iptables', ['-I', 'OUTPUT', '-p', 'tcp', '--dport', String(PORT)]);
  net.a.exec('iptables', ['-I', 'OUTPUT', '-p', 'tcp', '--dport', String(OTHER_PORT)]);
  net.a.exec('iptables', ['-I', 'OUTPUT', '-p', 'icmp', '--icmp-type', 'echo-request']);
  net.a.exec('iptables', ['-I', 'OUTPUT', '-p', 'udp', '--dport', String(UDP_PORT)]);
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

  it('N UDP datagrams of one flow (--protocol udp): one event per datagram sent, all on one entry, NEW without a reply', async () => {
    const before = sent(/dpt:5304/);
    const r = await runWith(
      'trace-conntrack',
      ['--src-ip', net.ipA, '--dst-ip', net.ipB, '--protocol', 'udp', '--netns', net.a.name, '-o', 'json'],
      () => sendUdp(net.a, { to: net.ipB, port: UDP_PORT, count: N, fromPort: 40100 }),
    );
    for (const l of r.json) expect(validate(l)).toBeUndefined();
    const events = r.json.filter((l) => l.type === 'event') as Ev[];
    const header = r.json.find((l) => l.type === 'header') as { plan: { hook: string; chosen: { kind: string } | null }[] };
    const chosen = header.plan.find((h) => h.hook === 'nf_conntrack_in return')?.chosen?.kind;
    if (chosen !== 'tp_btf' && chosen !== 'tracepoint') return; // the kernel test counts the full points
    expect(sent(/dpt:5304/) - before).toBe(N);
    // No reply comes back (nothing listens), so conntrack keeps calling every datagram NEW.
    expect(events.map((e) => [e.point, e.packet.protocol, e.packet.dst_port, e.ctinfo])).toEqual(
      Array.from({ length: N }, () => ['xmit', 'udp', UDP_PORT, 'NEW']),
    );
    expect(new Set(events.map((e) => e.ct)).size).toBe(1);
  }, 60_000);

  it('--filters-file with two rules (tcp to one port, icmp): every packet of either, none of a third flow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nt-ct-rules-'));
    const file = join(dir, 'filters.json');
    writeFileSync(
      file,
      JSON.stringify([
        { src_ip: net.ipA, dst_ip: net.ipB, protocol: 'tcp', dst_port: PORT },
        { src_ip: net.ipA, dst_ip: net.ipB, protocol: 'icmp' },
      ]),
    );
    const servers = [await tcpServer(net.b, net.ipB, PORT), await tcpServer(net.b, net.ipB, OTHER_PORT)];
    const before = { tcp: sent(), other: sent(/dpt:5303/), icmp: sent(/icmptype 8/) };
    const r = await runWith('trace-conntrack', ['--filters-file', file, '--netns', net.a.name, '-o', 'json'], async () => {
      await tcpClients(net.a, { to: net.ipB, port: PORT, connections: N, bytes: 100 });
      await tcpClients(net.a, { to: net.ipB, port: OTHER_PORT, connections: N, bytes: 100 });
      net.a.exec('ping', ['-q', '-n', '-c', String(N), '-i', '0.2', '-W', '1', net.ipB]);
    });
    for (const s of servers) await s.close();
    rmSync(dir, { recursive: true });
    for (const l of r.json) expect(validate(l)).toBeUndefined();
    const events = r.json.filter((l) => l.type === 'event') as Ev[];
    const header = r.json.find((l) => l.type === 'header') as { plan: { hook: string; chosen: { kind: string } | null }[] };
    const chosen = header.plan.find((h) => h.hook === 'nf_conntrack_in return')?.chosen?.kind;
    const other = sent(/dpt:5303/) - before.other;
    expect(other).toBeGreaterThan(0); // the third flow did send
    expect(events.filter((e) => e.packet?.dst_port === OTHER_PORT || e.packet?.src_port === OTHER_PORT)).toEqual([]);
    if (chosen !== 'tp_btf' && chosen !== 'tracepoint') return; // the kernel test counts the full points
    const tcp = events.filter((e) => e.packet.protocol === 'tcp');
    const icmp = events.filter((e) => e.packet.protocol === 'icmp');
    expect([tcp.length, icmp.length]).toEqual([sent() - before.tcp, sent(/icmptype 8/) - before.icmp]);
    expect(icmp.length).toBe(N);
    expect(tcp.length + icmp.length).toBe(events.length);
  }, 60_000);

  it('--filters-file: a missing file, a bad rule, or a rule next to --src-ip is a usage error naming the option', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nt-ct-rules-'));
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const CLI = join(__dirname, '../../../packages/cli/dist/bin.js');
    const cases: [string[], RegExp][] = [
      [['--filters-file', join(dir, 'absent.json')], /--filters-file: cannot read .*ENOENT/],
      [['--filters-file', write('text.json', 'src_ip=1.2.3.4')], /--filters-file: .* is not JSON/],
      [['--filters-file', write('empty.json', '[]')], /--filters-file: .* holds no rules/],
      [['--filters-file', write('ip.json', '[{"src_ip": "1.2.3.999"}]')], /--filters-file: rule 1: src_ip: '1.2.3.999' is not an IPv4/],
      [['--filters-file', write('key.json', '[{"dst_ip": "1.2.3.4"}, {"sport": 80}]')], /--filters-file: rule 2: unknown key 'sport'/],
      [
        ['--filters-file', write('many.json', JSON.stringify(Array.from({ length: 9 }, () => ({ protocol: 'tcp' }))))],
        /--filters-file: 9 rules, at most 8/,
      ],
      [
        ['--filters-file', write('ok.json', '[{"protocol": "udp"}]'), '--src-ip', net.ipA],
        /--filters-file and --src-ip exclude each other/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = spawnSync(process.execPath, [CLI, 'run', 'trace-conntrack', ...args, '--exit-after-attach'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    rmSync(dir, { recursive: true });
  }, 60_000);
});
