// vhost-eventfd-count inside the test kernels: vhost-net driven from user space by tk-vhost-traffic
// with a tap backend. Per virtqueue, the used buffers and the signals must be exactly what the
// driver counted (its rx_used / tx_used and the values of its call eventfds), in the interval
// reports summed and in the final report; a decoy vhost device is filtered out by --device.
import { expect } from 'vitest';
import { chosenRungs } from '../../../test-kernel/src/fixture-run.js';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { verifyTapRefusals } from '../../../test-kernel/src/tap-cases.js';
import { tapCommand, tapDeleteCommand, vhostTrafficCommand, vhostTrafficResults } from '../../../test-kernel/src/traffic.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

interface VqRow {
  vq: string;
  eventfd: string | null;
  device: string | null;
  queue: number | null;
  role: string | null;
  calls: number;
  signals: number;
  used: number;
}

const validate = schemaValidator('vhost-eventfd-count');
const rowsOf = (rec: Record<string, unknown> | undefined, device: string) =>
  ((rec?.vqs ?? []) as VqRow[]).filter((r) => r.device === device);
const byRole = (rows: VqRow[], role: string) => rows.filter((r) => r.role === role);

kernelSuite('vhost-eventfd-count', (k) => {
  k.verify("--interval 1: the rx and tx virtqueues of a tap count exactly the driver's used buffers and signals", async () => {
    // A second device after the first is gone: its virtqueues may reuse the first one's addresses,
    // and must still be its own rows.
    const r = await k.run({
      args: ['--interval', '1'],
      traffic: [vhostTrafficCommand('tkve0', '10.241.0', 6), vhostTrafficCommand('tkve9', '10.241.9', 2)],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of r.records) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
    // The ladder: fentry/fexit with module BTF, else the kprobes (--btf); eventfd_signal is in
    // vmlinux (fentry everywhere), eventfd_signal_mask where eventfd_signal is inlined (6.12).
    const fe = k.spec.facts.fentryOnModules;
    expect(chosenRungs(r)).toEqual([
      `${fe ? 'fentry' : 'kprobe'}:vhost_add_used_and_signal_n`,
      `${fe ? 'fexit' : 'kretprobe'}:vhost_add_used_and_signal_n`,
      expect.stringMatching(/^fentry:eventfd_signal(_mask)?$/),
    ]);
    const [d] = vhostTrafficResults(r.trafficOutput);
    expect(d).toMatchObject({ rxUsed: 6, txUsed: 1, txSignals: 1 });
    const rows = rowsOf(r.final, 'tkve0');
    const [rx] = byRole(rows, 'rx');
    const [tx] = byRole(rows, 'tx');
    expect(rows).toHaveLength(2);
    // No EVENT_IDX and interrupts wanted: every call signals.
    expect(rx).toMatchObject({ queue: 0, used: d?.rxUsed, signals: d?.rxSignals, calls: d?.rxSignals });
    expect(tx).toMatchObject({ queue: 0, used: 1, signals: 1, calls: 1 });
    expect(rx?.eventfd).toMatch(/^0x[0-9a-f]+$/);
    expect(tx?.eventfd).toMatch(/^0x[0-9a-f]+$/);
    expect(rx?.vq).not.toBe(tx?.vq);
    const [, second] = vhostTrafficResults(r.trafficOutput);
    expect(second).toMatchObject({ rxUsed: 2, txUsed: 1, txSignals: 1 });
    const rows9 = rowsOf(r.final, 'tkve9');
    expect(byRole(rows9, 'rx')).toMatchObject([{ used: 2, signals: second?.rxSignals }]);
    expect(byRole(rows9, 'tx')).toMatchObject([{ used: 1, signals: 1, calls: 1 }]);
    // Interval reports hold their own interval's counts: together, the whole run.
    const intervals = r.records.filter((rec) => rec.type === 'interval');
    const sum = (role: string, f: 'used' | 'signals') =>
      intervals.flatMap((i) => byRole(rowsOf(i, 'tkve0'), role)).reduce((n, x) => n + x[f], 0);
    expect([sum('rx', 'used'), sum('rx', 'signals'), sum('tx', 'used')]).toEqual([6, d?.rxSignals, 1]);
  });

  k.verify('--device: a queue that asks for no interrupts is called and never signalled; a decoy device is not seen', async () => {
    const r = await k.run({
      args: ['--device', 'tkve1'],
      before: [tapCommand('tkve1')],
      traffic: [
        vhostTrafficCommand('tkve1', '10.241.1', 4, { noInterrupt: true }),
        vhostTrafficCommand('tkve2', '10.241.2', 3),
        tapDeleteCommand('tkve1'),
      ],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const [target, decoy] = vhostTrafficResults(r.trafficOutput);
    expect(target).toMatchObject({ rxUsed: 4, rxSignals: 0, txSignals: 1 });
    expect(decoy).toMatchObject({ rxUsed: 3, txSignals: 1 });
    const vqs = r.final?.vqs as VqRow[];
    expect(vqs.every((x) => x.device === 'tkve1')).toBe(true);
    const [rx] = byRole(vqs, 'rx');
    expect(rx).toMatchObject({ used: 4, signals: 0 });
    expect(rx?.calls).toBeGreaterThanOrEqual(1);
    expect(byRole(vqs, 'tx')).toMatchObject([{ used: 1, signals: 1, calls: 1 }]);
  });

  k.verify('EVENT_IDX with used_event 0: only the signals the driver received are counted as signals', async () => {
    const r = await k.run({
      args: ['--device', 'tkve3'],
      before: [tapCommand('tkve3')],
      traffic: [vhostTrafficCommand('tkve3', '10.241.3', 5, { eventIdx: true }), tapDeleteCommand('tkve3')],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const [d] = vhostTrafficResults(r.trafficOutput);
    expect(d).toMatchObject({ rxUsed: 5 });
    const [rx] = byRole(rowsOf(r.final, 'tkve3'), 'rx');
    expect(rx).toMatchObject({ used: 5, signals: d?.rxSignals });
    expect(rx?.calls).toBeGreaterThan(rx?.signals ?? 0);
  });

  verifyTapRefusals(k, 'tkveq');
});
