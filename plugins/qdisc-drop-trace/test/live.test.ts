// Live kernel: a tbf with a tiny bucket on a veth, hit by a burst of N UDP datagrams, drops
// N - delivered of them; the plugin must count exactly those (= tc -s qdisc's dropped counter),
// with the packets offered (= N) and the bytes, from skb:kfree_skb's QDISC_DROP reason here.

import { sendUdp, type VethPair, vethPair } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';
import { type Tbf, tbf } from '../../../tooling/test-support/tbf.js';

const N = 300;
const PAYLOAD = 1000;
const FRAME = PAYLOAD + 8 + 20 + 14; // what the qdisc holds: the Ethernet frame
const PORT = 9;

let net: VethPair;
let q: Tbf;
beforeAll(() => {
  net = vethPair();
  q = tbf(net);
});
afterAll(() => net.cleanup());

interface QdiscRow {
  interface: string;
  netns: string;
  qdisc: string;
  kind: string;
  offered: number;
  drops: number;
  drop_bytes: number;
}

/** The burst, measured: delivered packets on the peer and tc's drop counter. */
async function burst(args: string[]) {
  q.reset();
  const rx0 = q.delivered();
  let delivered = 0;
  const run = await runWith(
    'qdisc-drop-trace',
    ['-p', 'udp', '-D', String(PORT), '-o', 'json', ...args],
    () => {
      sendUdp(net.a, { to: net.ipB, port: PORT, count: N, size: PAYLOAD, fromPort: 40001 });
    },
    2500,
  ); // the queued packets drain at 1 mbit/s
  delivered = q.delivered() - rx0;
  return { run, delivered, tc: q.dropped() };
}

describe('qdisc-drop-trace on the live kernel', () => {
  it('counts exactly the drops of a tbf: N - delivered = tc -s dropped, with N offered', async () => {
    const { run, delivered, tc } = await burst([]);
    const validate = schemaValidator('qdisc-drop-trace');
    for (const r of run.json) expect(validate(r)).toBeUndefined();
    const header = run.json.find((r) => r.type === 'header') as { plan: { hook: string; chosen: { kind: string } | null }[] };
    expect(header.plan.find((h) => h.hook === 'qdisc drops')?.chosen?.kind).toMatch(/tp_btf|tracepoint/);
    const final = run.json.find((r) => r.type === 'final') as { qdiscs: QdiscRow[]; totals: Record<string, number> };
    expect(tc).toBeGreaterThan(N / 2);
    expect(N - delivered).toBe(tc);
    expect(final.qdiscs).toEqual([
      expect.objectContaining({
        interface: net.devA,
        netns: net.a.name,
        qdisc: '8001:',
        kind: 'tbf',
        offered: N,
        drops: tc,
        drop_bytes: tc * FRAME,
      }),
    ]);
    expect(final.totals).toMatchObject({ reason_drops: tc, enqueue_rc_drops: 0, xmit_rc_drops: 0, untracked: 0 });
    // Default lines: every packet offered, and every drop with its cause.
    const events = run.json.filter((r) => r.type === 'event');
    expect(events.filter((e) => e.event === 'queue').length).toBe(N);
    const drops = events.filter((e) => e.event === 'drop');
    expect(drops.length).toBe(tc);
    expect(drops[0]).toMatchObject({
      interface: net.devA,
      qdisc: '8001:',
      qdisc_kind: 'tbf',
      len: FRAME,
      src_ip: net.ipA,
      dst_ip: net.ipB,
      src_port: 40001,
      dst_port: PORT,
      protocol: 'udp',
      cause: 'QDISC_DROP',
    });
    expect(drops[0].stack).toBeUndefined();
  }, 60_000);

  it('--drops-only -v prints drops with their stacks; --summary prints no lines', async () => {
    const only = await burst(['--drops-only', '-v']);
    const events = only.run.json.filter((r) => r.type === 'event');
    expect(events.length).toBe(only.tc);
    expect(events.every((e) => e.event === 'drop')).toBe(true);
    expect((events[0].stack as string[]).some((f) => /dev_queue_xmit|__dev_xmit_skb/.test(f))).toBe(true);

    const summary = await burst(['--summary']);
    expect(summary.run.json.filter((r) => r.type === 'event')).toEqual([]);
    const final = summary.run.json.find((r) => r.type === 'final') as { qdiscs: QdiscRow[] };
    expect(final.qdiscs.map((r) => r.drops)).toEqual([summary.tc]);
  }, 90_000);

  it('interval reports hold the drops of their interval, the final report the whole run', async () => {
    q.reset();
    // Two bursts with an interval report between them (the CLI, whose timer runs during traffic).
    const run = await runCli(
      'qdisc-drop-trace',
      ['--summary', '-i', '1', '-D', String(PORT)],
      async () => {
        sendUdp(net.a, { to: net.ipB, port: PORT, count: N, size: PAYLOAD });
        await new Promise((r) => setTimeout(r, 3500));
        sendUdp(net.a, { to: net.ipB, port: PORT, count: N, size: PAYLOAD });
      },
      3500,
    );
    expect(run.code, run.stderr).toBe(0);
    const tc = q.dropped();
    const intervals = run.json.filter((r) => r.type === 'interval') as { qdiscs: QdiscRow[] }[];
    const perInterval = intervals.map((i) => i.qdiscs.reduce((n, r) => n + r.drops, 0)).filter(Boolean);
    expect(perInterval.length).toBeGreaterThanOrEqual(2); // each burst lands in its own report(s)
    expect(perInterval.reduce((a, b) => a + b, 0)).toBe(tc);
    const final = run.json.find((r) => r.type === 'final') as { qdiscs: QdiscRow[] };
    expect(final.qdiscs.map((r) => [r.drops, r.offered])).toEqual([[tc, 2 * N]]);
  }, 60_000);

  it('filters exclude other traffic, in the kernel', async () => {
    q.reset();
    // Only the test's interface: other TCP on this machine (eth0) is not the test's to count.
    const only = ['-I', net.devA, '--netns', net.a.name];
    const run = await runWith('qdisc-drop-trace', [...only, '-p', 'tcp', '-o', 'json'], () =>
      sendUdp(net.a, { to: net.ipB, port: PORT, count: 20, size: PAYLOAD }),
    );
    expect(run.json.filter((r) => r.type === 'event')).toEqual([]);
    expect((run.json.find((r) => r.type === 'final') as { qdiscs: QdiscRow[] }).qdiscs).toEqual([]);
  }, 60_000);

  it('the text output is a line per packet and a per-qdisc table', async () => {
    q.reset();
    const run = await runWith(
      'qdisc-drop-trace',
      ['--drops-only', '-D', String(PORT)],
      () => sendUdp(net.a, { to: net.ipB, port: PORT, count: 50, size: PAYLOAD, fromPort: 40002 }),
      2500,
    );
    const text = run.lines.join('\n');
    expect(text).toMatch(/EVENT\s+IFACE\s+QDISC/);
    expect(text).toMatch(new RegExp(`DROP\\s+${net.devA}@${net.a.name}\\s+tbf 8001:\\s+${FRAME}\\s+udp`));
    expect(text).toMatch(/INTERFACE\s+QDISC\s+OFFERED\s+DROPS\s+DROP_BYTES\s+CN/);
  }, 60_000);
});
