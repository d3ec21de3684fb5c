// On a real arm64 kernel: Debian's arm64 kernel under qemu-system-aarch64 (TCG, EL2: KVM in VHE
// mode), where Debian's arm64 bpftool loads this plugin's object and auto-attaches every program
// (nettrace itself is not run there: that needs an arm64 node 20 in the guest, bookworm's is 18).
// This proves what the object needs from the kernel: every program passes the verifier with its
// CO-RE reads relocated against the arm64 kernel's BTF (struct vgic_irq's intid among them), every kprobe, kretprobe and tracepoint
// attaches; fentry/fexit attach where the kernel has BPF trampolines for them, and are refused
// with ENOTSUPP where it does not (6.1: nettrace's runner then takes the kprobe of each hook).
import { readFileSync } from 'node:fs';
import { BpfObject } from '@nettrace/core';
import { expect, it } from 'vitest';
import { runArm64 } from '../../../test-kernel/src/arm64.js';
import { repoRoot } from '../../../test-kernel/src/paths.js';

const OBJECT = `${repoRoot}/plugins/kvm-irqfd-stats-arm/dist/kvm_irqfd_stats_arm.bpf.o`;
const SCRIPT = `bpftool version | head -1
mkdir /sys/fs/bpf/kia
bpftool prog loadall /files/kvm_irqfd_stats_arm.bpf.o /sys/fs/bpf/kia autoattach > /tmp/load.log 2>&1
echo "loadall-exit $?"
sed -n 's/^libbpf: prog .\\(nt_[a-z0-9_]*\\).: failed to attach: .*(\\(-[0-9]*\\))$/attach-failed \\1 \\2/p' /tmp/load.log
echo "progs $(bpftool -j prog show)"
echo "links $(bpftool -j link show)"`;

it('arm64: every program of the object loads and attaches (fentry/fexit where the kernel supports them)', async () => {
  const out = await runArm64(SCRIPT, [OBJECT], ['vhost_iotlb', 'vhost', 'tun', 'tap', 'vhost_net'], (m) => console.log(m));
  expect(out).toMatch(/^arm64-kernel \S+-arm64 kvm=yes/m);
  expect(out).toMatch(/^module 4-vhost_net/m);
  expect(out).toMatch(/^loadall-exit 0/m);
  const all = BpfObject.open(readFileSync(OBJECT), { name: 'kia' });
  const programs = all.programs().map((p) => ({ name: p.name, section: p.section }));
  all.close();
  const json = (key: string) => JSON.parse(new RegExp(`^${key} (.*)$`, 'm').exec(out)?.[1] ?? '[]') as Record<string, unknown>[];
  const loaded = new Map(json('progs').map((p) => [p.id as number, p.name as string]));
  expect([...loaded.values()].filter((n) => n.startsWith('nt_kia')).sort()).toEqual(programs.map((p) => p.name).sort());
  const attached = new Set(json('links').map((l) => loaded.get(l.prog_id as number)));
  const refused = new Map([...out.matchAll(/^attach-failed (\S+) (-\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
  const kernel = /^arm64-kernel (\S+)/m.exec(out)?.[1];
  console.log(
    `arm64 ${kernel}: ${loaded.size} programs loaded, ${attached.size} attached, fentry/fexit refused (-524): ${[...refused.keys()].join(' ') || 'none'}`,
  );
  expect(refused.size + attached.size).toBe(programs.length);
  for (const p of programs) {
    if (/^f(entry|exit)\//.test(p.section))
      expect(attached.has(p.name) || refused.get(p.name) === -524, `${p.name}: ${refused.get(p.name)}`).toBe(true);
    else expect(attached.has(p.name), p.name).toBe(true);
  }
}, 900_000);
