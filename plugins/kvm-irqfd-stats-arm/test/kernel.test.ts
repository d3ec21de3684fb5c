// kvm-irqfd-stats-arm in the x86 test kernels: its vGIC hooks exist only on arm64 and its kprobes
// read arm64 registers, so a run must be refused (exit 1, no header) naming each required hook and
// both reasons; the cell is then n/a with that reason. What it shares with kvm-irqfd-stats (the
// irqfd accounting, options, checks, report) is verified on x86 by kvm-irqfd-stats' kernel test; the
// object itself is proven on an arm64 kernel by test/arm64.test.ts.
import { expect } from 'vitest';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';

kernelSuite(
  'kvm-irqfd-stats-arm',
  (k) => {
    k.verify('refused on x86: no vGIC functions, arm64 registers', async () => {
      const r = await k.run({ args: ['1'], traffic: [] });
      expect(r.exitCode).toBe(1);
      expect(r.header).toBeUndefined();
      expect(r.stderr).toMatch(/^nettrace: kvm-irqfd-stats-arm cannot run on this kernel /);
      // (irqfd_wakeup may be refused too, or found by fentry where the --btf file has kvm's types: 5.10.)
      expect(r.stderr).toContain(
        '  vgic queue: UNAVAILABLE — fentry:vgic_queue_irq_unlock: function vgic_queue_irq_unlock is not in the kernel BTF (inlined or renamed on this kernel); kprobe:vgic_queue_irq_unlock: the object was built for arm64 registers and this host is x86',
      );
      expect(r.stderr).not.toMatch(/\n\s+at /); // one clear refusal, no stack trace
      k.notApplicable(
        'arm64 only: vgic_queue_irq_unlock is not in x86 kernels and the object reads arm64 registers (proven on Debian arm64 6.1 by test/arm64.test.ts)',
      );
    });
  },
  // Nothing to load: the refusal comes from the plan.
  { modules: [] },
);
