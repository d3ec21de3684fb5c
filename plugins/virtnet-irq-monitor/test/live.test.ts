// Live kernel: this machine is a virtio guest. Over the traced window, every IRQ's handler calls
// (per CPU) must match the /proc/interrupts delta of the same window. /proc/interrupts is read
// twice on each side: "outer" before the run starts / after it ends, "inner" right after attach /
// right before the final read. So inner <= calls <= outer for every IRQ and CPU, and where the
// two windows saw the same count (nothing fired in the gaps) the match must be exact. The
// machine's own traffic drives the virtio-net IRQs (often zero: no traffic leaves the machine);
// fsync'd writes drive the virtio-blk IRQ, so counting is proven on a busy IRQ too.
// Why not "calls == delta" always: the gaps (attach -> first read, last read -> map read) are
// short but not empty. Kernel detail: /proc/interrupts counts per IRQ line, irq_handler_entry per
// handler (action), so a shared line counts once per action: the test scales by the action count.
// One exception, found here and not explained: the virtio-vsock IRQs (this VM's channel to its
// host) sometimes run their handler with no BPF program invoked (any attach kind; the kernel's
// recursion_misses stays 0) while ftrace records the same irq_handler_entry: on those IRQs only
// the upper bound (the plugin never counts more than /proc/interrupts) is asserted.
import { UsageError } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { blk, check, diskIo, irqsOf, net, snap, traced, vsock } from './irq-witness.js';

describe('virtnet-irq-monitor on the live kernel (a virtio guest)', () => {
  it('this machine has virtio-net and virtio-blk devices with IRQs', () => {
    expect(net.size).toBeGreaterThan(0);
    expect(blk.size).toBeGreaterThan(0);
  });

  const all = [
    { kind: undefined, label: 'tp_btf (default plan)' },
    { kind: 'raw_tp', label: 'raw_tp' },
    // Lossy by kernel design: classic-tracepoint BPF programs are skipped while any other
    // kprobe/tracepoint program or BPF map syscall runs on the CPU (bpf_prog_active; counted in the
    // program's recursion_misses). Only the upper bound and "a busy IRQ was counted" are asserted.
    { kind: 'tracepoint', label: 'classic tracepoint' },
  ];
  for (const c of all) {
    // One retry: on this VM the kernel now and then skips a BPF run for an interrupt taken in the
    // sandbox agent's context without counting it anywhere (README, "Known limits"); a second
    // miss in a row is a real failure.
    it(`--irqs all with disk I/O, ${c.label}: every IRQ that fired matches, including a busy one`, { retry: 1 }, async () => {
      const t = await traced(['--irqs', 'all'], () => diskIo(40), c.kind);
      const lossy = c.kind === 'tracepoint';
      const { busiest } = check(t, lossy);
      // Every IRQ that fired inside the inner window is reported.
      for (const [irq, line] of t.innerAfter) {
        const fired = line.perCpu.reduce((a, b) => a + b, 0) - (t.innerBefore.get(irq)?.perCpu.reduce((a, b) => a + b, 0) ?? 0);
        const isVsock = vsock.some((dev) => line.names.some((n) => n === dev || n.startsWith(`${dev}-`)));
        if (fired > 0 && !isVsock && !lossy) expect(t.rows.map((r) => r.irq)).toContain(irq);
      }
      if (lossy) expect(Math.max(...t.rows.map((r) => r.calls))).toBeGreaterThanOrEqual(10);
      else expect(busiest).toBeGreaterThanOrEqual(20);
    });
  }

  // The same one retry as above: the disk IRQ it counts is exposed to the same VM quirk (seen once
  // in a full run: 40 of 70 calls on one CPU, missed_runs 0, while 8 runs in a row passed alone).
  it('--irqs mixes names and numbers; --interface picks one device', { retry: 1 }, async () => {
    const s = snap();
    const total = (irq: number) => s.get(irq)!.perCpu.reduce((a, b) => a + b, 0);
    const blkIrq = irqsOf(s, [...blk.values()][0]).sort((a, b) => total(b) - total(a))[0]; // the request queue
    const [ifname, dev] = [...net.entries()][0];
    const netIrqs = irqsOf(s, dev);
    const byName = await traced(['--irqs', `${s.get(blkIrq)!.names[0]},${netIrqs[0]}`], () => diskIo(20));
    expect(byName.rows.map((r) => r.irq)).toEqual([blkIrq, netIrqs[0]].sort((a, b) => a - b));
    expect(check(byName).busiest).toBeGreaterThanOrEqual(10);
    const byIface = await traced(['--interface', ifname], () => diskIo(2));
    expect(byIface.rows.map((r) => r.irq)).toEqual(netIrqs);
    check(byIface);
  });

  // The statistics themselves, on a busy IRQ (virtio-blk, driven by fsync'd writes: the virtio-net
  // vectors only fire with traffic that leaves the machine, which tests must not send). The
  // witness is ftrace's own record of the same tracepoints: every handler run, its return value,
  // entry/exit times. Other processes write to the same disk, so the plugin's counts are
  // bracketed by an inner and an outer witness window, and exact when the two agree.
  it('return values, avg_us, max_us and avg_interval_us of a busy IRQ match an ftrace witness', { retry: 1 }, async () => {
    const s = snap();
    const total = (irq: number) => s.get(irq)!.perCpu.reduce((a, b) => a + b, 0);
    const blkIrq = irqsOf(s, [...blk.values()][0]).sort((a, b) => total(b) - total(a))[0];
    // (no /proc/interrupts bracket here: an edge IRQ that arrives while its handler runs is one
    // /proc/interrupts count and two handler runs; the witness counts handler runs, as the plugin)
    const t = await traced(['--irqs', String(blkIrq)], () => diskIo(40), undefined, blkIrq);
    const { inner, outer } = t.witnessed!;
    const [row] = t.rows;
    expect(row.irq).toBe(blkIrq);
    expect(inner.calls).toBeGreaterThanOrEqual(20);
    expect(t.missed).toBe(0);
    const bracket = (what: string, got: number, low: number, high: number) => {
      expect(got, `${what}: ${got}, witness inner ${JSON.stringify(inner)} outer ${JSON.stringify(outer)}`).toBeGreaterThanOrEqual(low);
      expect(got, `${what}: ${got}, witness inner ${JSON.stringify(inner)} outer ${JSON.stringify(outer)}`).toBeLessThanOrEqual(high);
    };
    bracket('calls', row.calls, inner.calls, outer.calls);
    // Return values: virtio's handler returns IRQ_HANDLED or IRQ_NONE; ftrace prints IRQ_NONE as
    // "unhandled" and every other value as "handled".
    bracket('none', row.none, inner.unhandled, outer.unhandled);
    bracket('handled', row.handled + row.wake_thread + row.other, inner.handled, outer.handled);
    const exact = inner.calls === outer.calls;
    // Times, against the inner window: both stamp the same tracepoint calls, but ftrace prints
    // microseconds (each witness duration is truncated) and its probe runs inside the plugin's
    // measured span (one probe call each side, a few microseconds when the VM is slow). So the
    // plugin's durations are the witness's plus a small overhead: never below by more than the
    // truncation, and a ns/us or sum-for-mean mistake lands far outside. The longest run is one
    // sample: a vCPU stall inside either side's probe inflates only that side's, so the maximum
    // gets a factor of 4 each way.
    const w = inner;
    bracket('avg_us', row.avg_us, w.avgUs - 1, w.avgUs * 1.5 + 3);
    bracket('max_us', row.max_us, w.maxUs / 4 - 1, w.maxUs * 4 + 50);
    expect(row.max_us).toBeGreaterThanOrEqual(row.avg_us);
    // The mean gap between runs is (last entry - first entry) / (runs - 1) in both. Over the same
    // runs (windows agree) the stamps' offsets cancel and only the truncation is left: tight enough
    // that dividing by the runs instead of the gaps fails. Otherwise the edges differ a little.
    if (exact) bracket('avg_interval_us', row.avg_interval_us, w.avgIntervalUs * 0.999 - 0.3, w.avgIntervalUs * 1.001 + 0.3);
    else bracket('avg_interval_us', row.avg_interval_us, w.avgIntervalUs * 0.8, w.avgIntervalUs * 1.25);
  });

  it('an unknown IRQ name is a usage error', async () => {
    await expect(traced(['--irqs', 'no-such-irq'], () => {})).rejects.toThrow(UsageError);
  });
});
