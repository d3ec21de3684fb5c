// Unit: upstream command shapes parse unchanged, configure() checks the pids against a fake /proc
// and writes the filters, golden bytes decode, and the report's rows, order and interval deltas.
import { createRunContext, parseOptions, runnerOptions, UsageError } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import { fakeObject } from '../../../tooling/test-support/tap-plugin.js';
import plugin from '../src/index.js';
import { decodeWakeKey, WakeKeyOffsets, WakeKeySize, WakeValOffsets, WakeValSize } from '../src/kvm_irqfd_stats.gen.js';
import { type Ctx, collect } from '../src/report.js';
import { configureWith, type ProcView } from '../src/vm.js';

const parse = (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, 'run kvm-irqfd-stats');

// QEMU 4242 holds a VM; its vhost worker is 4250 (a kthread before 6.4, a thread of 4242 since).
const proc: ProcView = {
  comm: (tid) => ({ 1: 'init', 4242: 'qemu-system-x86', 4250: 'vhost-4242', 4251: 'vhost-999' })[tid],
  fdTargets: (pid) => (pid === 4242 ? ['/dev/kvm', 'anon_inode:kvm-vm', 'anon_inode:kvm-vcpu:0'] : ['/dev/null']),
};

function configure(argv: string[]) {
  const vars: Record<string, unknown> = {};
  configureWith(proc)({ set: (k, v) => void (vars[k] = v), maxEntries: () => {} }, parse(argv) as never);
  return vars;
}

describe('options', () => {
  it('takes the upstream command shapes unchanged (Appendix A)', () => {
    expect(parse(['4242', '--interval', '5', '--vhost-pid', '4250', '--category', 'data', '--subcategory', 'rx'])).toMatchObject({
      qemuPid: 4242,
      interval: 5,
      vhostPid: 4250,
      category: 'data',
      subcategory: 'rx',
    });
    expect(parse(['4242', '--interval', '1', '--category', 'control'])).toMatchObject({ qemuPid: 4242, interval: 1, category: 'control' });
    expect(() => parse(['--category', 'data'])).toThrow('QEMU_PID (or --qemu-pid) is required');
  });

  it('writes the filters and the vhost worker name of the VM', () => {
    const v = configure(['4242', '--vhost-pid', '4250', '--category', 'data', '--subcategory', 'tx']);
    expect(v).toMatchObject({ cfg_vhost_tid: 4250, cfg_category: 1, cfg_subcategory: 2 });
    expect(new TextDecoder().decode(v.cfg_vhost_comm as Uint8Array)).toBe('vhost-4242\0\0\0\0\0\0');
    expect(configure(['4242', '--category', 'control'])).toMatchObject({ cfg_category: 2 });
    expect(configure(['4242'])).not.toHaveProperty('cfg_category');
  });

  it('refuses bad input with usage errors', () => {
    const refused = (argv: string[], message: string) => {
      expect(() => configure(argv)).toThrow(UsageError);
      expect(() => configure(argv)).toThrow(message);
    };
    refused(['77'], 'QEMU_PID 77: no such process');
    refused(['1'], 'QEMU_PID 1 (init) is not a KVM process');
    refused(['4242', '--vhost-pid', '4250'], '--vhost-pid needs --category data');
    refused(['4242', '--category', 'control', '--subcategory', 'rx'], '--subcategory needs --category data');
    refused(['4242', '--category', 'data', '--vhost-pid', '4251'], '--vhost-pid 4251 (vhost-999) is not a vhost worker of QEMU_PID 4242');
    refused(['4242', '--category', 'data', '--vhost-pid', '5000'], '--vhost-pid 5000: no such thread');
  });
});

/** A wake_key in the object's layout. */
function key(k: { gsi: number; tid: number; category: number; subcategory?: number; comm: string; dest?: number; vector?: number }) {
  const b = new Uint8Array(WakeKeySize);
  const v = new DataView(b.buffer);
  v.setUint32(WakeKeyOffsets.gsi, k.gsi, true);
  v.setUint32(WakeKeyOffsets.tid, k.tid, true);
  v.setUint32(WakeKeyOffsets.tgid, 4242, true);
  v.setUint32(WakeKeyOffsets.msi_dest, k.dest ?? 0, true);
  v.setUint32(WakeKeyOffsets.msi_vector, k.vector ?? 0, true);
  v.setUint8(WakeKeyOffsets.category, k.category);
  v.setUint8(WakeKeyOffsets.subcategory, k.subcategory ?? 0);
  b.set(new TextEncoder().encode(k.comm), WakeKeyOffsets.comm);
  return b;
}

function val(c: Partial<Record<keyof typeof WakeValOffsets, number>>) {
  const b = new Uint8Array(WakeValSize);
  const v = new DataView(b.buffer);
  for (const [f, n] of Object.entries(c)) v.setBigUint64(WakeValOffsets[f as keyof typeof WakeValOffsets], BigInt(n), true);
  return b;
}

const u32u64 = (k: number, n: number) => {
  const v = new Uint8Array(8);
  new DataView(v.buffer).setBigUint64(0, BigInt(n), true);
  return [new Uint8Array(new Uint32Array([k]).buffer), v] as [Uint8Array, Uint8Array];
};

describe('report', () => {
  it('decodes a wake key from golden bytes', () => {
    const k = decodeWakeKey(new DataView(key({ gsi: 40, tid: 4250, category: 1, subcategory: 1, comm: 'vhost-4242' }).buffer), 0);
    expect(k).toMatchObject({ gsi: 40, tid: 4250, tgid: 4242, category: 1, subcategory: 1, comm: 'vhost-4242' });
  });

  it('rows by GSI (tracepoint rows first), interval deltas, then the whole run', () => {
    const maps: Record<string, [Uint8Array, Uint8Array][]> = {
      wakes: [
        [
          key({ gsi: 41, tid: 4250, category: 1, subcategory: 2, comm: 'vhost-4242' }),
          val({ wakeups: 1, inatomic: 1, inline_ok: 1, vcpus: 1, kicks: 1 }),
        ],
        [
          key({ gsi: 40, tid: 4250, category: 1, subcategory: 1, comm: 'vhost-4242' }),
          val({ wakeups: 10, inatomic: 10, inline_ok: 8, deferred: 2, vcpus: 8, kicks: 8 }),
        ],
        [key({ gsi: 0xffffffff, tid: 4242, category: 2, comm: 'qemu', dest: 255, vector: 0x32 }), val({ wakeups: 3 })],
      ],
      slow_path: [u32u64(40, 2)],
      vcpu_kicks: [u32u64(0, 12)],
    };
    const counters = [1, 2, 3, 4].map((n, i) => u32u64(i, n));
    const object = fakeObject({ ...maps, counters });
    const ctx = (final: boolean) =>
      createRunContext(plugin, object, { qemuPid: 4242 }, { final, periodSeconds: 2, btf: undefined as never }) as unknown as Ctx;
    const first = collect(ctx(false));
    const [irqs, slow, kicks, totals] = first.sections as { rows?: Record<string, unknown>[]; values?: Record<string, number> }[];
    expect(irqs?.rows?.map((r) => [r.gsi, r.category, r.subcategory, r.interrupts, r.rate_per_s, r.inline_pct, r.deferred])).toEqual([
      [null, 'control', null, 3, 1.5, 0, 0],
      [40, 'data', 'rx', 10, 5, 80, 2],
      [41, 'data', 'tx', 1, 0.5, 100, 0],
    ]);
    expect(irqs?.rows?.[0]).toMatchObject({ msi_dest: 255, msi_vector: 0x32 });
    expect(slow?.rows).toEqual([{ gsi: 40, count: 2 }]);
    expect(kicks?.rows).toEqual([{ vcpu: 0, count: 12 }]);
    expect(totals?.values).toEqual({
      interrupts: 14,
      inline: 9,
      deferred: 2,
      kicks_in_delivery: 9,
      wakeups_seen: 1,
      other_vm: 2,
      filtered: 3,
      table_full: 4,
    });
    // Nothing new: an interval shows nothing; the final report shows the whole run again.
    expect((collect(ctx(false)).sections[0] as { rows: unknown[] }).rows).toEqual([]);
    expect((collect(ctx(true)).sections[0] as { rows: unknown[] }).rows).toHaveLength(3);
  });
});
