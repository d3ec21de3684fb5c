// skb-frag-list-watcher inside the test kernels: N UDP datagrams of one flow, released at once,
// across the VM's virtio-net pair into a namespace whose NIC does fraglist GRO (tk-virtio-pair +
// tk-gro-list: NAPI GRO with rx-gro-list on every kernel of the matrix), delivered to a socket
// that does not take fraglist skbs, so each aggregate is segmented again on delivery. Expected,
// exactly, against the receiving namespace's own counters (skbs longer than one datagram are the
// aggregates): one CREATE per aggregate at skb_gro_receive_list, one CLEAR per aggregate at
// skb_segment_list (and at __skb_gso_segment and inet_gso_segment, which call it), on the same
// skbs, and segments that with the single datagrams add up to the N the socket received.
import { expect } from 'vitest';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { parseHelperOutput } from '../../../test-kernel/src/traffic.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const N = 40;
const PORT = 5311;

type Ev = { kind: string; func: string; skb: string; gso_segs_before: number; gso_type_before: string[] };

const validate = schemaValidator('skb-frag-list-watcher');

kernelSuite('skb-frag-list-watcher', (k) => {
  k.verify('UDP fraglist GRO on a virtio-net NIC: CREATE and CLEAR per aggregate, segments adding up to the datagrams', async () => {
    const net = '10.245.0';
    const r = await k.run({
      setup: [`tk-virtio-pair tkfl ${net} >/dev/null`],
      args: ['--src-ip', `${net}.1`, '--dst-port', String(PORT), '--protocol', 'udp'],
      traffic: [`tk-gro-list tkfl ${net} ${N} ${PORT}`, 'tk-virtio-pair -d tkfl'],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of r.records) expect(validate(rec)).toBeUndefined();
    const w = parseHelperOutput(r.trafficOutput);
    const [received, singles, aggregates] = [Number(w.received), Number(w.singles), Number(w.aggregates)];
    expect(received).toBe(N);
    expect(aggregates).toBeGreaterThan(0); // the scenario made fraglist skbs
    // vmlinux functions have BTF on every kernel of the matrix: fentry/fexit everywhere.
    const plan = (r.header as { plan: { hook: string; chosen: { kind: string } | null }[] }).plan;
    expect(plan.find((h) => h.hook === 'skb_segment_list return')?.chosen?.kind).toBe('fexit');
    const events = r.records.filter((l) => l.type === 'event') as unknown as Ev[];
    const at = (kind: string, func: string) => events.filter((e) => e.kind === kind && e.func === func);

    const created = at('CREATE', 'skb_gro_receive_list');
    const cleared = at('CLEAR', 'skb_segment_list');
    expect([created.length, cleared.length]).toEqual([aggregates, aggregates]);
    expect(new Set(cleared.map((e) => e.skb))).toEqual(new Set(created.map((e) => e.skb)));
    for (const e of cleared) expect(e.gso_type_before).toEqual(expect.arrayContaining(['UDP_L4', 'FRAGLIST']));
    const segments = cleared.reduce((n, e) => n + e.gso_segs_before, 0);
    expect(segments + singles).toBe(N);
    // The callers of skb_segment_list see the same change across them.
    expect(at('CLEAR', '__skb_gso_segment').length).toBe(aggregates);
    expect(at('CLEAR', 'inet_gso_segment').length).toBe(aggregates);
    expect(events.filter((e) => e.kind === 'INCONSISTENT')).toEqual([]);
    // The final report counts what the events showed, and every return found its entry.
    const final = r.final as { per_function: Record<string, number | string>[]; pairing: Record<string, number> };
    const row = (func: string) => final.per_function.find((p) => p.func === func);
    expect(row('skb_gro_receive_list')?.create).toBe(aggregates);
    expect(row('skb_segment_list')?.clear).toBe(aggregates);
    expect(final.pairing).toEqual({ unmatched_returns: 0, too_deep: 0 });
  });
});
