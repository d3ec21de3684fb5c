// IRQ selection: numbers, /proc/interrupts names, a network interface's virtio device, or (the
// default) every virtio-net device of this guest. Pure functions over /proc and /sys snapshots.
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '@nettrace/core';

export interface IrqLine {
  irq: number;
  /** Action names (more than one on a shared line). */
  names: string[];
  /** Count per CPU, as /proc/interrupts shows it. */
  perCpu: number[];
}

/** The numbered lines of /proc/interrupts. */
export function parseInterrupts(text: string): Map<number, IrqLine> {
  const lines = text.split('\n');
  const cpus = (lines[0].match(/CPU\d+/g) ?? []).length;
  const out = new Map<number, IrqLine>();
  for (const line of lines.slice(1)) {
    const m = /^\s*(\d+):\s+(.*)$/.exec(line);
    if (!m) continue;
    const fields = m[2].trim().split(/\s+/);
    const perCpu = fields.slice(0, cpus).map(Number);
    // after the counts: chip, hwirq-trigger, then the action names ("a, b" when shared)
    const names = fields
      .slice(cpus + 2)
      .join(' ')
      .split(/,\s*/)
      .filter(Boolean);
    out.set(Number(m[1]), { irq: Number(m[1]), names, perCpu });
  }
  return out;
}

export interface SystemView {
  interrupts(): Map<number, IrqLine>;
  /** interface name -> its virtio device ("virtio2"), for interfaces driven by virtio_net */
  virtioNet(): Map<string, string>;
}

export const liveSystem: SystemView = {
  interrupts: () => parseInterrupts(readFileSync('/proc/interrupts', 'utf8')),
  virtioNet() {
    const out = new Map<string, string>();
    for (const ifname of readdirSync('/sys/class/net')) {
      try {
        if (basename(realpathSync(`/sys/class/net/${ifname}/device/driver`)) === 'virtio_net')
          out.set(ifname, basename(realpathSync(`/sys/class/net/${ifname}/device`)));
      } catch {
        // no device (virtual interface)
      }
    }
    return out;
  },
};

/** IRQs of a virtio device: actions named "virtioN" (virtio-mmio) or "virtioN-<queue>" (MSI-X). */
function deviceIrqs(dev: string, table: Map<number, IrqLine>): number[] {
  return [...table.values()].filter((l) => l.names.some((n) => n === dev || n.startsWith(`${dev}-`))).map((l) => l.irq);
}

export interface Selection {
  all: boolean;
  irqs: number[];
  /** What was selected, for the report title. */
  label: string;
}

/** --irqs "41,virtio2-input.0" | "all", --interface eth0, or the default (all virtio-net IRQs). */
export function selectIrqs(irqs: string | undefined, iface: string | undefined, sys: SystemView): Selection {
  if (irqs !== undefined && iface !== undefined) throw new UsageError('--irqs and --interface exclude each other');
  if (irqs?.trim() === 'all') return { all: true, irqs: [], label: 'all IRQs' };
  const picked = new Set<number>();
  let table: Map<number, IrqLine> | undefined;
  if (irqs !== undefined) {
    for (const item of irqs.split(',').map((s) => s.trim())) {
      if (/^\d+$/.test(item)) {
        picked.add(Number(item));
        continue;
      }
      table ??= sys.interrupts();
      const found = [...table.values()].filter((l) => l.names.includes(item));
      if (!item || !found.length) throw new UsageError(`--irqs: '${item}' is neither an IRQ number nor an IRQ name in /proc/interrupts`);
      for (const l of found) picked.add(l.irq);
    }
    return { all: false, irqs: [...picked].sort((a, b) => a - b), label: `IRQs ${irqs}` };
  }
  const devices = sys.virtioNet();
  const wanted = iface !== undefined ? [[iface, devices.get(iface)]] : [...devices.entries()];
  if (iface !== undefined && !devices.has(iface)) throw new UsageError(`--interface: ${iface} is not a virtio-net interface`);
  if (!wanted.length) throw new UsageError('no virtio-net interface on this machine: name IRQs with --irqs');
  table = sys.interrupts();
  for (const [, dev] of wanted) for (const irq of deviceIrqs(dev as string, table)) picked.add(irq);
  if (!picked.size)
    throw new UsageError(`no IRQs found for ${wanted.map((w) => w[1]).join(', ')} in /proc/interrupts: name them with --irqs`);
  return { all: false, irqs: [...picked].sort((a, b) => a - b), label: wanted.map(([i, d]) => `${i} (${d})`).join(', ') };
}
