// Catalog Appendix A: every upstream test command shape of a landed tool runs unchanged as
// `nettrace run <id> …` (placeholders replaced by this test's own addresses) and means what it
// meant there (more tools: upstream-command-lines/*.test.ts, one file per tool family). Each run sees TCP, UDP and ICMP drops of the same flow at once (SYNs and datagrams
// to a closed port, echo requests dropped by an nft input rule), so the protocol filter must keep
// exactly the generated drops of its protocol and nothing else. Every later plugin adds its
// shapes to SHAPES.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendSynsToClosedPort, sendUdp, type VethPair, vethPair } from '@nettrace/plugin-testing';
import { runWith } from '../test-support/run.js';
import { flagValue, shapeArgv } from '../test-support/upstream-shapes.js';

/** Appendix A, verbatim but for the script name: `<IP>` is the source, then the destination. */
const SHAPES: Record<string, { tool: string; lines: string[] }> = {
  'eth-drop': {
    tool: 'eth_drop.py',
    lines: [
      '--src-ip <IP> --dst-ip <IP> --l4-protocol tcp',
      '--src-ip <IP> --dst-ip <IP> --l4-protocol udp',
      '--src-ip <IP> --dst-ip <IP> --l4-protocol icmp',
    ],
  },
  'kernel-drop-stack-stats': {
    tool: 'kernel_drop_stack_stats_summary_all.py',
    lines: [
      '--src-ip <IP> --dst-ip <IP> --l4-protocol tcp',
      '--src-ip <IP> --dst-ip <IP> --l4-protocol udp',
      '--src-ip <IP> --dst-ip <IP> --l4-protocol icmp',
      '--src-ip <IP> --dst-ip <IP> --l4-protocol tcp --interval 1',
      '--src-ip <IP> --dst-ip <IP> --l4-protocol udp --interval 1',
      '--src-ip <IP> --dst-ip <IP> --l4-protocol icmp --interval 1',
    ],
  },
};

/** Drops generated per protocol in every run. */
const SENT = { tcp: 3, udp: 4, icmp: 2 } as const;
type Proto = keyof typeof SENT;

let net: VethPair;
beforeAll(() => {
  net = vethPair();
  net.b.exec('nft', ['-f', '-'], 'table inet ntshapes { chain input { type filter hook input priority 0; meta l4proto icmp drop; }; }');
});
afterAll(() => net.cleanup());

/** The three kinds of drops, A to B. With --interval 1 the traffic spans two report intervals. */
async function traffic(spread: boolean): Promise<void> {
  sendSynsToClosedPort(net.a, { to: net.ipB, port: 9, count: SENT.tcp, fromPort: 43100 });
  if (spread) await new Promise((r) => setTimeout(r, 1200));
  sendUdp(net.a, { to: net.ipB, port: 9, count: SENT.udp, size: 24, fromPort: 43200 });
  try {
    net.a.exec('ping', ['-n', '-q', '-c', String(SENT.icmp), '-i', '0.2', '-W', '1', net.ipB]);
  } catch (err) {
    if ((err as { status?: number }).status !== 1) throw err; // 1: no reply, as the rule intends
  }
}

/** The drops a run counted, per protocol: eth-drop's events, or kernel-drop-stack-stats' final table. */
function dropsByProtocol(id: string, json: Record<string, unknown>[]): Map<string, number> {
  const rows =
    id === 'eth-drop'
      ? json.filter((r) => r.type === 'event').map((r) => ({ ...r, count: 1 }))
      : ((json.find((r) => r.type === 'final')?.drops ?? []) as Record<string, unknown>[]);
  const out = new Map<string, number>();
  for (const r of rows) {
    expect(r).toMatchObject({ src_ip: net.ipA, dst_ip: net.ipB });
    out.set(r.protocol as string, (out.get(r.protocol as string) ?? 0) + (r.count as number));
  }
  return out;
}

describe('upstream command lines (catalog Appendix A) run unchanged with the same meaning', () => {
  for (const [id, { tool, lines }] of Object.entries(SHAPES))
    for (const line of lines)
      it(`${tool} ${line}`, async () => {
        const argv = shapeArgv(line, { ip: [net.ipA, net.ipB] });
        const proto = flagValue(argv, '--l4-protocol') as Proto;
        const spread = argv.includes('--interval');
        const run = await runWith(id, [...argv, '-o', 'json'], () => traffic(spread));
        expect(dropsByProtocol(id, run.json)).toEqual(new Map([[proto, SENT[proto]]]));
        if (spread) expect(run.json.filter((r) => r.type === 'interval').length).toBeGreaterThanOrEqual(1);
      });
});
