// kvm-irqfd-stats-arm: kvm-irqfd-stats on an arm64 (GIC) host: the same irqfd interrupts of one VM,
// plus where the vGIC takes them: queued for a vCPU, and written to a list register (GIC v2 or
// v3), per INTID. Options, checks and the report are kvm-irqfd-stats's.
import { columns, definePlugin, entriesSinceLastReport, functionHook, type PluginContext, tableSection, U64Layout } from '@nettrace/core';
import { type Ctx, collect, configureWith, countRows, irqfdHooks, liveProc, options } from '@nettrace/kvm-irqfd-stats';
import { contract, VgicLrKeyLayout } from './kvm_irqfd_stats_arm.gen.js';

type ArmCtx = PluginContext<typeof options, typeof contract>;

function collectArm(ctx: ArmCtx) {
  const lr = ctx.entries('vgic_lr', VgicLrKeyLayout, U64Layout).map((e) => ({ ...e, value: { count: e.value } }));
  // The object holds every map of kvm-irqfd-stats (the shared kvm_irqfd.bpf.h), so its report reads here.
  const base = collect(ctx as unknown as Ctx);
  return {
    sections: [
      ...base.sections,
      tableSection(
        'vgic_queued',
        "the VM's interrupts queued by the vGIC for a vCPU, per INTID",
        columns({ intid: 'INTID', count: 'QUEUED' }),
        countRows(ctx, 'vgic_queued', 'intid'),
      ),
      tableSection(
        'vgic_lr',
        'written into list registers on guest entry, per INTID and GIC version',
        columns({ intid: 'INTID', version: 'GIC', count: 'LR_WRITES' }),
        entriesSinceLastReport(ctx, 'vgic_lr', lr, ['count'])
          .map((e) => ({ intid: e.key.intid, version: e.key.version, count: e.value.count }))
          .filter((r) => r.count > 0)
          .sort((a, b) => a.intid - b.intid || a.version - b.version),
      ),
    ],
  };
}

export default definePlugin({
  id: 'kvm-irqfd-stats-arm',
  summary: 'kvm-irqfd-stats on arm64 (GIC): irqfd interrupts of one VM, plus vGIC queueing and list-register writes per INTID',
  description:
    'kvm-irqfd-stats (irqfd_wakeup, kvm_arch_set_irq_inatomic, kvm_set_msi, kvm_vcpu_kick, the vhost signal; kvm built in, no kvm:kvm_msi_set_irq on arm64) plus vgic_queue_irq_unlock and vgic_v2/v3_populate_lr (fentry, else kprobe). An arm64 object: x86 kernels refuse it (no vGIC functions, arm64 registers).',
  contract,
  options,
  defaultInterval: 5,
  hooks: [
    ...irqfdHooks({ msiTracepoint: false }),
    functionHook('vgic queue', 'vgic_queue_irq_unlock'),
    functionHook('vgic v2 list register', 'vgic_v2_populate_lr', { optional: true, degrades: 'GIC v2 list-register writes' }),
    functionHook('vgic v3 list register', 'vgic_v3_populate_lr', { optional: true, degrades: 'GIC v3 list-register writes' }),
  ],
  configure: configureWith(liveProc),
  output: { kind: 'report', collect: (ctx) => collectArm(ctx) },
});
