// vhost-queue-correlation-details inside the test kernels: vhost-net driven from user space by
// tk-vhost-traffic. For one tap, every transmit (the pings, their flow) and every read by vhost are
// traced in order, each packet read after it was sent; the signal calls chain the used index from
// 0 to the packets delivered, their interrupts exactly the driver's signals; handle_rx sees the
// 64 buffers the driver made available. A decoy device is filtered out by --device.
import { expect } from 'vitest';
import { chosenRungs } from '../../../test-kernel/src/fixture-run.js';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { verifyTapRefusals } from '../../../test-kernel/src/tap-cases.js';
import { tapCommand, tapDeleteCommand, vhostTrafficCommand, vhostTrafficResults } from '../../../test-kernel/src/traffic.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

interface EventRow {
  ts_ns: number;
  event: string;
  device: string;
  queue: number;
  role?: string;
  count?: number;
  verdict?: string;
  protocol?: string;
  dst_ip?: string;
  len?: number;
  ring?: { pending: number; size: number };
  before?: { last_used_idx: number; avail_idx: number; num: number };
  after?: { last_used_idx: number };
  info: string;
}

const validate = schemaValidator('vhost-queue-correlation-details');

kernelSuite('vhost-queue-correlation-details', (k) => {
  k.verify('--device X --verbose: every transmit, read and signal of the tap in order, exact against the driver', async () => {
    const pings = 5;
    const r = await k.run({
      args: ['--device', 'tkvd0', '--verbose'],
      before: [tapCommand('tkvd0')],
      traffic: [vhostTrafficCommand('tkvd0', '10.246.0', pings), vhostTrafficCommand('tkvd1', '10.246.1', 3), tapDeleteCommand('tkvd0')],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of r.records) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
    const fe = k.spec.facts.fentryOnModules;
    expect(chosenRungs(r).map((rung) => rung.split(':')[0])).toEqual(
      fe ? ['fentry', 'fentry', 'fentry', 'fentry', 'fexit', 'fentry'] : ['kprobe', 'kprobe', 'kprobe', 'kprobe', 'kretprobe', 'fentry'],
    );
    const [d] = vhostTrafficResults(r.trafficOutput);
    const events = (r.records.filter((x) => x.type === 'event') as unknown as EventRow[]).sort((a, b) => a.ts_ns - b.ts_ns);
    expect(events.every((e) => e.device === 'tkvd0' && e.queue === 0)).toBe(true);
    const of = (kind: string) => events.filter((e) => e.event === kind);
    const xmits = of('xmit');
    const reads = of('recvmsg');
    expect(xmits).toHaveLength(pings);
    expect(reads).toHaveLength(pings);
    expect(xmits.every((e) => e.protocol === 'icmp' && e.dst_ip === '10.246.0.2' && e.len === 98)).toBe(true);
    // Each packet is read after it was sent, before the next one is sent (pings 0.2 s apart).
    xmits.forEach((x, i) => {
      expect(reads[i]?.ts_ns).toBeGreaterThan(x.ts_ns);
      if (xmits[i + 1]) expect(reads[i]?.ts_ns).toBeLessThan(xmits[i + 1]?.ts_ns ?? 0);
    });
    // The signal calls of the receive queue: the used index from 0 to the packets delivered.
    const rx = of('signal').filter((e) => e.role === 'rx');
    let used = 0;
    for (const s of rx) {
      expect(s.before?.last_used_idx).toBe(used);
      used += s.count ?? 0;
      expect(s.after?.last_used_idx).toBe(used);
    }
    expect(used).toBe(d?.rxUsed);
    expect(rx.filter((s) => s.verdict === 'interrupt')).toHaveLength(d?.rxSignals ?? -1);
    expect(
      of('signal')
        .filter((e) => e.role === 'tx')
        .map((e) => e.count),
    ).toEqual([1]);
    // handle_rx runs for the receive virtqueue of 64 entries; --verbose puts every index in the text.
    expect(of('handle_rx').length).toBeGreaterThanOrEqual(1);
    expect(of('handle_rx').every((e) => e.before?.num === 64 && e.info.includes('features'))).toBe(true);
    expect(r.final?.lost_events).toBe(0);
  });

  verifyTapRefusals(k, 'tkvdq', ['--verbose']);
});
