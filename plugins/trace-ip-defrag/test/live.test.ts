// Live kernel: ip_defrag needs fentry or a kprobe. Where the kernel has neither (the machines this
// project runs on; the counts are proven in test/kernel.test.ts), the refusal must be one clear
// error naming the hook, the alternatives and why each is missing, before anything is loaded.
import { KernelBtf, KernelSupportError, planHooks } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { loadPlugin, runWith } from '../../../tooling/test-support/run.js';

describe('trace-ip-defrag on the live kernel', () => {
  it('runs where ip_defrag can be hooked, else refuses naming the hook and the missing features', async () => {
    const btf = new KernelBtf({ kind: 'sysfs', path: '/sys/kernel/btf/vmlinux' });
    const plan = planHooks((await loadPlugin('trace-ip-defrag')).hooks, btf);
    btf.release();
    const result = await runWith('trace-ip-defrag', ['-o', 'json'], () => {}).catch((e: unknown) => e);
    if (!plan.missing.length) {
      expect(result).not.toBeInstanceOf(Error);
      return;
    }
    expect(result).toBeInstanceOf(KernelSupportError);
    const message = (result as Error).message;
    expect(message).toMatch(/trace-ip-defrag cannot run on this kernel/);
    expect(message).toMatch(/ip_defrag entry: UNAVAILABLE — fentry:ip_defrag: .*; kprobe:ip_defrag: /);
    expect(message).toMatch(/ip_defrag return: UNAVAILABLE/);
  });
});
