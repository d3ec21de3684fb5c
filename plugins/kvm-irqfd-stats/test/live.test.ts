// Live kernel: kvm is built in here (its tracepoints exist) but kprobes are absent, fentry is
// refused and there is no /dev/kvm. The plan must fall back to the kvm tracepoints (degraded,
// naming what is lost), and since no process here can hold a VM, a run for any pid is refused as
// a usage error before anything loads. The counting itself is proven in the test kernels.
import { KernelBtf, planHooks, UsageError } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { loadPlugin, runWith } from '../../../tooling/test-support/run.js';
import { TRACEPOINT_PLAN } from './tracepoint-plan.js';

describe('kvm-irqfd-stats on the live kernel', () => {
  it('plans the kvm tracepoints where kprobes and fentry are missing', async () => {
    const btf = new KernelBtf({ kind: 'sysfs', path: '/sys/kernel/btf/vmlinux' });
    const plan = planHooks((await loadPlugin('kvm-irqfd-stats')).hooks, btf);
    btf.release();
    expect(plan.missing).toEqual([]);
    expect(plan.hooks.map((h) => [h.hook, h.chosen?.target ?? null])).toEqual(TRACEPOINT_PLAN);
    expect(plan.degraded.map((d) => d.degrades)).toEqual([
      'inline delivery counts',
      'inline delivery results and kicks',
      'vCPU kicks',
      'the rx/tx subcategory (and its filter)',
    ]);
  });

  it('refuses a QEMU_PID that holds no VM, as a usage error', async () => {
    const run = runWith('kvm-irqfd-stats', [String(process.pid)], () => {});
    await expect(run).rejects.toThrow(UsageError);
    await expect(runWith('kvm-irqfd-stats', [String(process.pid)], () => {})).rejects.toThrow(`QEMU_PID ${process.pid} (`);
  });
});
