// Host-only checks of the vhost-smoke and kvm-smoke judges (src/vhost-smoke.ts, src/kvm-smoke.ts):
// an exact run passes, and each kind of wrong CO-RE read the fixtures can reveal is reported.
import { describe, expect, it } from 'vitest';
import {
  expectedKvmCounts,
  KVM_SMOKE_TRAFFIC,
  type KvmResult,
  kvmProblems,
  VHOST_SMOKE_TRAFFIC,
  type VhostCounts,
  type VhostResult,
  vhostProblems,
} from '../src/index.js';

type RanVhost = Extract<VhostResult, { ran: true }>;
type RanKvm = Extract<KvmResult, { ran: true }>;

// What 6 pings gave on 6.1: 6 rx signals of one buffer each, 1 tx signal, 7 handle_rx calls.
const slot: VhostCounts = {
  sig_calls: 7,
  rx_calls: 6,
  tx_calls: 1,
  other_calls: 0,
  rx_used: 6,
  tx_used: 1,
  vq_dev_ok: 7,
  dev_vq_ok: 7,
  idx_ok: 7,
  priv_set: 7,
  rx_call_set: 6,
  tx_call_set: 0,
  rx_net_ok: 6,
  rx_num: 64,
  tx_num: 64,
  hrx_calls: 7,
  hrx_ok: 7,
  nvqs: 2,
};
const zero = Object.fromEntries(Object.keys(slot).map((k) => [k, 0])) as unknown as VhostCounts;
const vhost = (over: Partial<RanVhost> = {}): RanVhost => ({
  ran: true,
  fentry: slot,
  kprobe: slot,
  driver: { rxUsed: 6, txUsed: 1, calls: 6, rxSignals: 6, txSignals: 0 },
  degraded: [],
  stderr: '',
  ...over,
});

describe('vhost-smoke judge', () => {
  it('accepts an exact run, with and without fentry', () => {
    expect(vhostProblems(vhost(), VHOST_SMOKE_TRAFFIC, true)).toEqual([]);
    const degraded = ['vhost_add_used_and_signal_n (fentry) missing', 'handle_rx (fentry) missing'];
    expect(vhostProblems(vhost({ fentry: zero, degraded }), VHOST_SMOKE_TRAFFIC, false)).toEqual([]);
  });

  it('reports wrong reads, a tx call eventfd, a slot mismatch and counts from a missing hook', () => {
    const bad = { ...slot, idx_ok: 5, tx_call_set: 1, rx_num: 0 };
    expect(vhostProblems(vhost({ kprobe: bad }), VHOST_SMOKE_TRAFFIC, true)).toEqual([
      'kprobe idx_ok=5 (expected 7)',
      'kprobe tx_call_set=1 (expected 0)',
      'kprobe rx_num=0 (expected 64)',
      expect.stringMatching(/^fentry .* differs from kprobe /),
    ]);
    expect(vhostProblems(vhost({ degraded: ['x', 'y'] }), VHOST_SMOKE_TRAFFIC, false)[0]).toMatch(
      /^fentry counters .* \(expected all 0: no fentry on modules here\)$/,
    );
    expect(
      vhostProblems(vhost({ driver: { rxUsed: 5, txUsed: 1, calls: 9, rxSignals: 9, txSignals: 0 } }), VHOST_SMOKE_TRAFFIC, true),
    ).toEqual([
      'the driver says rx_used 5 tx_used 1 (expected 6, 1)',
      'the driver counted 9 rx and 0 tx signals (expected rx_call_set 6, 0)',
    ]);
  });
});

describe('kvm-smoke judge', () => {
  const t = KVM_SMOKE_TRAFFIC;
  const runs = [
    { pid: 170, gsi: t.decoyGsi, writes: t.decoyWrites },
    { pid: 173, gsi: t.gsi, writes: t.writes },
  ];
  const exact = expectedKvmCounts(t, 173);
  const kvm = (over: Partial<RanKvm> = {}): RanKvm => ({
    ran: true,
    fentry: exact,
    kprobe: exact,
    runs,
    degraded: [],
    stderr: '',
    ...over,
  });

  it('expects every wake-up, the GSI filter and the owner pid exactly', () => {
    expect(exact).toEqual({
      wakeups: 6,
      pollin: 6,
      other: 0,
      gsi_seen: 5,
      match: 4,
      kvm_set: 4,
      kvm_same: 4,
      mm_ok: 4,
      eventfd_set: 4,
      eventfd_same: 4,
      pid: 173,
    });
    expect(kvmProblems(kvm(), t, true)).toEqual([]);
  });

  it('reports a wrong GSI read, a wrong pid and fentry counts where fentry cannot attach', () => {
    const wrongGsi = { ...exact, gsi_seen: 0, match: 0, kvm_set: 0, kvm_same: 0, mm_ok: 0, eventfd_set: 0, eventfd_same: 0, pid: 0 };
    expect(kvmProblems(kvm({ fentry: wrongGsi }), t, true)).toContain('fentry gsi_seen=0 (expected 5)');
    expect(kvmProblems(kvm({ kprobe: { ...exact, pid: 170 } }), t, true)).toEqual(['kprobe pid=170 (expected 173)']);
    const idle = expectedKvmCounts({ gsi: 0, writes: 0, decoyGsi: 0, decoyWrites: 0 }, 0);
    expect(kvmProblems(kvm({ fentry: idle }), t, true)).toEqual([
      'the fentry program on irqfd_wakeup attached but never ran (the kprobe saw 6 wake-ups)',
    ]);
    expect(kvmProblems(kvm({ degraded: ['irqfd_wakeup (fentry) missing'] }), t, false)).toContain('fentry wakeups=6 (expected 0)');
  });

  it('expects the silent fentry of the 6.12 quirk dropped by the runner, and notices when it runs again', () => {
    const idle = expectedKvmCounts({ gsi: 0, writes: 0, decoyGsi: 0, decoyWrites: 0 }, 0);
    const dropped = ['irqfd_wakeup (fentry) missing: the fentry counters'];
    expect(kvmProblems(kvm({ fentry: idle, degraded: dropped }), t, true, true)).toEqual([]);
    expect(kvmProblems(kvm({ fentry: idle }), t, true, true)).toEqual(['degraded=[] (expected the fentry hook)']);
    expect(kvmProblems(kvm(), t, true, true)).toEqual([
      'fentry on irqfd_wakeup now runs (6 wake-ups): drop the fentry-silent-irqfd_wakeup quirk from kernels.json',
      'degraded=[] (expected the fentry hook)',
    ]);
  });
});
