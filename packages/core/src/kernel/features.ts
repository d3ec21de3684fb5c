// What the running kernel can do, asked of the kernel itself (files under /sys and /proc, and
// tiny probe programs); the answers are facts of the kernel, so they are kept per process. Which
// BTF describes the kernel's types is not among them: that is a KernelBtf (btf.ts), passed in.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { native } from '../bpf/native.js';
import { BpfObject } from '../bpf/object.js';
import { call } from '../errors.js';
import { packageDir } from '../package-dir.js';
import { type KernelBtf, SYSFS_VMLINUX } from './btf.js';
import { kernelSymbols } from './ksyms.js';

const TRACEFS_CANDIDATES = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];
let tracefs: string | undefined;

/** The tracefs mount, mounting it at /sys/kernel/tracing when absent and we are root. */
export function tracefsRoot(): string {
  if (tracefs) return tracefs;
  for (const dir of TRACEFS_CANDIDATES) {
    if (existsSync(join(dir, 'events'))) return (tracefs = dir);
  }
  if (process.getuid?.() === 0 && existsSync('/sys/kernel/tracing')) {
    try {
      execFileSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing'], { stdio: 'ignore' });
      if (existsSync('/sys/kernel/tracing/events')) return (tracefs = '/sys/kernel/tracing');
    } catch {
      // reported by the callers as "tracefs not mounted"
    }
  }
  return TRACEFS_CANDIDATES[0];
}

export function tracefsMounted(): boolean {
  return existsSync(join(tracefsRoot(), 'events'));
}

/** `category/name` → does the tracepoint exist? */
export function hasTracepoint(event: string): boolean {
  return existsSync(join(tracefsRoot(), 'events', event, 'id')) || existsSync(join(tracefsRoot(), 'events', event, 'format'));
}

export function hasVmlinuxBtf(): boolean {
  return existsSync(SYSFS_VMLINUX);
}

export function moduleBtf(): string[] {
  try {
    return readdirSync('/sys/kernel/btf').filter((n) => n !== 'vmlinux');
  } catch {
    return [];
  }
}

export function loadedModules(): string[] {
  try {
    return readFileSync('/proc/modules', 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ')[0]);
  } catch {
    return [];
  }
}

/** kprobes need CONFIG_KPROBE_EVENTS: the perf PMU "kprobe" or tracefs kprobe_events. */
export function hasKprobes(): boolean {
  return existsSync('/sys/bus/event_source/devices/kprobe/type') || existsSync(join(tracefsRoot(), 'kprobe_events'));
}

const probeObject = join(packageDir, 'dist/feature_probe.bpf.o');
const probed = new Map<string, { ok: boolean; reason?: string }>();

/** Loads one probe program alone; ok when the kernel accepts it. */
function probeProgram(program: string): { ok: boolean; reason?: string } {
  const known = probed.get(program);
  if (known) return known;
  let result: { ok: boolean; reason?: string };
  let obj: BpfObject | undefined;
  try {
    obj = BpfObject.open(probeObject, { name: 'nt_probe' });
    for (const p of obj.programs()) obj.setAutoload(p.name, p.name === program);
    obj.load();
    result = { ok: true };
  } catch (err) {
    const e = err as { code?: string; message: string };
    result = { ok: false, reason: e.code ?? e.message };
  } finally {
    obj?.close();
  }
  probed.set(program, result);
  return result;
}

/**
 * The same question for tracing programs, asked with a two-instruction program resolved in the
 * kernel BTF the planner has parsed anyway (loading the probe object would make libbpf parse it
 * again: ~15 ms of every start). Without sysfs BTF, the probe object answers as before.
 */
function probeTracing(btf: KernelBtf, program: string, kind: 'tp_btf' | 'fentry', target: string): { ok: boolean; reason?: string } {
  const known = probed.get(program);
  if (known) return known;
  const handle = btf.sysfsHandle();
  if (handle === undefined) return probeProgram(program);
  let result: { ok: boolean; reason?: string };
  try {
    call(() => native().probeTracing(handle, kind, target));
    result = { ok: true };
  } catch (err) {
    const e = err as { code?: string; message: string };
    result = { ok: false, reason: e.code ?? e.message };
  }
  probed.set(program, result);
  return result;
}

/** Whether this kernel loads fentry/fexit programs (`btf`: parsed sysfs BTF is reused). */
export function fentrySupport(btf: KernelBtf): { ok: boolean; reason?: string } {
  return probeTracing(btf, 'nt_probe_fentry', 'fentry', 'bpf_fentry_test1');
}

export function tpBtfSupport(btf: KernelBtf): { ok: boolean; reason?: string } {
  return probeTracing(btf, 'nt_probe_tp_btf', 'tp_btf', 'sched_switch');
}

/** kprobe.multi needs CONFIG_FPROBE (absent in Debian's 6.1); the PMU file does not tell, so
 * look for the fprobe entry in kallsyms, which only an FPROBE kernel has. */
export function hasKprobeMulti(): boolean {
  return hasKprobes() && kernelSymbols().has('register_fprobe');
}

export function hasRingBuffer(): boolean {
  try {
    return native().probeMapType('ringbuf');
  } catch {
    return false;
  }
}

export interface Privileges {
  root: boolean;
  capBpf: boolean;
  capPerfmon: boolean;
  capSysAdmin: boolean;
  capNetAdmin: boolean;
}

export function privileges(): Privileges {
  const status = readFileSync('/proc/self/status', 'utf8');
  const eff = BigInt(`0x${status.match(/CapEff:\s*([0-9a-f]+)/)?.[1] ?? '0'}`);
  const cap = (bit: number) => ((eff >> BigInt(bit)) & 1n) === 1n;
  return { root: process.getuid?.() === 0, capBpf: cap(39), capPerfmon: cap(38), capSysAdmin: cap(21), capNetAdmin: cap(12) };
}

export function readSysctl(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}
