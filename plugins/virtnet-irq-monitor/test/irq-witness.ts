// The /proc/interrupts and ftrace witnesses of virtnet-irq-monitor's live tests (live.test.ts and
// tooling/test/upstream-command-lines/virtnet-irq-monitor.test.ts); the method is explained at the
// top of live.test.ts.
import { closeSync, fsyncSync, mkdtempSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type Plugin, parseOptions, runnerOptions, runPlugin } from '@nettrace/core';
import { expect } from 'vitest';
import { loadPlugin } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';
import { traceWitness } from '../../../tooling/test-support/tracefs.js';

export const ID = 'virtnet-irq-monitor';
export type Snap = Map<number, { names: string[]; perCpu: number[] }>;
type Row = {
  irq: number;
  name: string;
  calls: number;
  cpus: Record<string, number>;
  handled: number;
  none: number;
  wake_thread: number;
  other: number;
  avg_us: number;
  max_us: number;
  avg_interval_us: number;
};

/** /proc/interrupts, parsed here independently of the plugin. */
export function snap(): Snap {
  const [head, ...lines] = readFileSync('/proc/interrupts', 'utf8').split('\n');
  const ncpu = head.trim().split(/\s+/).length;
  const out: Snap = new Map();
  for (const line of lines) {
    const m = /^\s*(\d+):((?:\s+\d+){1,})\s+\S+\s+\S+\s+(.*)$/.exec(line);
    if (!m) continue;
    const counts = m[2].trim().split(/\s+/).map(Number).slice(0, ncpu);
    out.set(Number(m[1]), { perCpu: counts, names: m[3].split(/,\s*/) });
  }
  return out;
}

/** IRQs of the virtio devices driven by `driver` (virtio_net, virtio_blk), by device name. */
export function virtioDevices(cls: string, driver: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(`/sys/class/${cls}`)) {
    try {
      if (basename(realpathSync(`/sys/class/${cls}/${name}/device/driver`)) === driver)
        out.set(name, basename(realpathSync(`/sys/class/${cls}/${name}/device`)));
    } catch {
      // virtual device
    }
  }
  return out;
}
export const irqsOf = (s: Snap, dev: string) =>
  [...s].filter(([, l]) => l.names.some((n) => n === dev || n.startsWith(`${dev}-`))).map(([irq]) => irq);

/** Disk writes with fsync: virtio-blk interrupts, on this machine only. */
export function diskIo(n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'nt-vim-'));
  const fd = openSync(join(dir, 'f'), 'w');
  try {
    for (let i = 0; i < n; i++) {
      writeSync(fd, Buffer.alloc(4096, i));
      fsyncSync(fd);
    }
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true });
  }
}

/** What ftrace's own irq_handler_entry/exit records say about one IRQ's handler runs. */
export function irqWitness(lines: Map<string, string[]>) {
  const entries: { cpu: number; t: number }[] = [];
  const durations: number[] = [];
  let handled = 0;
  let unhandled = 0;
  const open = new Map<number, number>(); // cpu -> entry time (us)
  const all = [...lines.get('irq/irq_handler_entry')!, ...lines.get('irq/irq_handler_exit')!]
    .map((l) => /\[(\d+)\].*?\s(\d+)\.(\d{6}):\s+irq_handler_(entry|exit):.*?(?:ret=(\w+))?$/.exec(l)!)
    .map((m) => ({ cpu: Number(m[1]), t: Number(m[2]) * 1e6 + Number(m[3]), what: m[4], ret: m[5] }))
    .sort((a, b) => a.t - b.t || (a.what === 'entry' ? -1 : 1));
  for (const e of all) {
    if (e.what === 'entry') {
      entries.push(e);
      open.set(e.cpu, e.t);
      continue;
    }
    // The tracepoint prints IRQ_NONE as "unhandled", any other return value as "handled".
    if (e.ret === 'unhandled') unhandled++;
    else handled++;
    const start = open.get(e.cpu);
    if (start !== undefined) durations.push(e.t - start);
    open.delete(e.cpu);
  }
  const first = entries[0]?.t ?? 0;
  const last = entries.at(-1)?.t ?? 0;
  return {
    calls: entries.length,
    handled,
    unhandled,
    avgUs: durations.reduce((a, b) => a + b, 0) / durations.length,
    maxUs: Math.max(...durations),
    avgIntervalUs: entries.length > 1 ? (last - first) / (entries.length - 1) : 0,
  };
}

export async function traced(argv: string[], work: () => void, kind?: string, witnessIrq?: number) {
  const plugin = await loadPlugin(ID);
  const forced: Plugin = kind
    ? { ...plugin, hooks: plugin.hooks.map((h) => ({ ...h, alternatives: h.alternatives.filter((a) => a.kind === kind) })) }
    : plugin;
  const values = parseOptions({ ...runnerOptions, ...plugin.options }, [...argv, '-o', 'json', '-i', '0'], ID);
  const lines: string[] = [];
  const controller = new AbortController();
  const outerBefore = snap();
  let innerBefore = outerBefore;
  let innerAfter = outerBefore;
  // Two ftrace witnesses of the IRQ: "outer" from before the load to after the final map read,
  // "inner" from just after the attach to just before the abort; the plugin's window lies between.
  const witnessOf = (irq: number) =>
    traceWitness({ 'irq/irq_handler_entry': `irq == ${irq}`, 'irq/irq_handler_exit': `irq == ${irq}` }, 256);
  const outerWitness = witnessIrq === undefined ? undefined : witnessOf(witnessIrq);
  let innerWitness: ReturnType<typeof irqWitness> | undefined;
  const summary = await runPlugin(forced, values, {
    write: (l) => lines.push(l),
    log: () => {},
    signal: controller.signal,
    onAttached: async () => {
      const inner = witnessIrq === undefined ? undefined : witnessOf(witnessIrq);
      innerBefore = snap();
      try {
        work();
        await new Promise((r) => setTimeout(r, 500));
        innerAfter = snap(); // the final map read follows the abort immediately
        if (inner) innerWitness = irqWitness(inner.stop());
      } finally {
        controller.abort();
      }
    },
  });
  const witnessed = outerWitness ? { outer: irqWitness(outerWitness.stop()), inner: innerWitness! } : undefined;
  const outerAfter = snap();
  if (kind) expect(summary.plan.hooks.map((h) => h.chosen?.kind)).toEqual([kind, kind]);
  const json = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const validate = schemaValidator(ID);
  for (const r of json) expect(validate(r)).toBeUndefined();
  const rows = (json.find((r) => r.type === 'final') as { irqs: Row[] }).irqs;
  // Runs the kernel skipped (recursion protection while another BPF program or a map syscall was
  // active on that CPU) are reported by the runner; each can hide one handler call.
  return { rows, innerBefore, innerAfter, outerBefore, outerAfter, missed: summary.missedRuns, witnessed };
}

/** Every row against /proc/interrupts: bracketed per CPU, exact where the windows agree. Returns
 * the largest inner-window count checked (the proof that a busy IRQ was counted). */
export function check(t: Awaited<ReturnType<typeof traced>>, lossy = false) {
  let busiest = 0;
  for (const r of t.rows) {
    const line = t.innerAfter.get(r.irq);
    expect(line, `IRQ ${r.irq} is in /proc/interrupts`).toBeDefined();
    expect(r.name).toBe(line!.names.join(', '));
    const actions = line!.names.length;
    const lowerBound = !lossy && !vsock.some((dev) => line!.names.some((n) => n === dev || n.startsWith(`${dev}-`)));
    let total = [0, 0];
    line!.perCpu.forEach((_, cpu) => {
      const inner = (t.innerAfter.get(r.irq)!.perCpu[cpu] - (t.innerBefore.get(r.irq)?.perCpu[cpu] ?? 0)) * actions;
      const outer = (t.outerAfter.get(r.irq)!.perCpu[cpu] - (t.outerBefore.get(r.irq)?.perCpu[cpu] ?? 0)) * actions;
      const calls = r.cpus[cpu] ?? 0;
      if (lowerBound)
        expect(calls, `IRQ ${r.irq} CPU ${cpu}: inner ${inner} - missed ${t.missed} <= calls <= outer ${outer}`).toBeGreaterThanOrEqual(
          inner - t.missed,
        );
      expect(calls, `IRQ ${r.irq} CPU ${cpu}: inner ${inner} <= calls <= outer ${outer}`).toBeLessThanOrEqual(outer);
      if (lowerBound && inner === outer && !t.missed) expect(calls).toBe(inner);
      total = [total[0] + inner, total[1] + outer];
    });
    expect(r.calls).toBe(Object.values(r.cpus).reduce((a, b) => a + b, 0));
    expect(r.handled + r.none + r.wake_thread + r.other).toBeLessThanOrEqual(r.calls);
    if (lowerBound) busiest = Math.max(busiest, total[0]);
  }
  return { busiest };
}

export const net = virtioDevices('net', 'virtio_net');
export const vsock = (() => {
  try {
    return readdirSync('/sys/bus/virtio/drivers/vmw_vsock_virtio_transport').filter((d) => d.startsWith('virtio'));
  } catch {
    return [];
  }
})();
export const blk = virtioDevices('block', 'virtio_blk');
