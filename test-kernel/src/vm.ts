// start({ kernel, modules }) → a running test VM with exec() and stop(). One VM per suite: booting
// costs seconds under TCG, a command about 20-40 ms.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type AccelChoice, accelPreference, chooseAccel, recordKvmVerdict } from './accel.js';
import { BootError, type Booted, boot, serialTail } from './boot.js';
import type { ExecOptions, ExecResult } from './exec.js';
import { fetchKernel, type KernelTree } from './fetch.js';
import { GuestSession } from './guest-session.js';
import { prepareGuestTools } from './guest-tools.js';
import { buildInitramfs } from './initramfs.js';
import { type KernelSpec, kernelSpec, loadMatrix } from './matrix.js';
import { checkModules } from './modules.js';
import { guestDir, logsDir, processTag, repoRoot, work, workDir } from './paths.js';
import { type Accel, hiddenInGuest } from './qemu.js';

export { type ExecOptions, type ExecResult, ExecTimeoutError } from './exec.js';

export interface StartOptions {
  /** Matrix id from kernels.json, e.g. '6.1'. */
  kernel: string;
  /** Loaded (with dependencies, by kmod) before start() resolves. */
  modules?: string[];
  memoryMb?: number;
  /** vCPUs; 1 unless a test needs more (2 host cores, and TCG runs one thread per vCPU). */
  cpus?: number;
  /** Default: TK_ACCEL, else 'auto' (KVM only where it has been seen to work). */
  accel?: AccelChoice;
  bootTimeoutMs?: number;
  log?: (msg: string) => void;
}

export interface Vm {
  /** The matrix id (as in kernels.json). */
  id: string;
  spec: KernelSpec;
  tree: KernelTree;
  /** `uname -r` in the guest. */
  release: string;
  accel: Accel;
  /** Read-write directory at the same path on host and guest. */
  shareDir: string;
  serialLog: string;
  /** Milliseconds from qemu start to agent ready. */
  bootMs: number;
  /** Runs `cmd` with /bin/sh in the guest (as root, in the host-root chroot). */
  exec(cmd: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Powers off; throws if the guest did not end cleanly (panic, agent failure). */
  stop(): Promise<void>;
}

/** A Target that is a test VM (as opposed to the live kernel). */
export function isVm(t: object): t is Vm {
  return 'spec' in t && 'tree' in t;
}

let runSeq = 0;

function guestPath(): string {
  return [path.join(guestDir, 'bin'), work.bin, path.dirname(process.execPath)].join(':');
}

async function bootWith(
  accel: Accel,
  tree: KernelTree,
  initramfs: string,
  share: string,
  opts: StartOptions,
  serialLog: string,
  timeoutMs: number,
): Promise<Booted> {
  return boot({
    accel,
    vmlinux: tree.vmlinux,
    initramfs,
    memoryMb: opts.memoryMb ?? 1024,
    cpus: opts.cpus ?? 1,
    share,
    serialLog,
    timeoutMs,
    guest: {
      kroot: tree.root,
      share,
      agent: path.join(guestDir, 'agent.sh'),
      path: guestPath(),
      expose: hiddenInGuest([repoRoot, workDir, path.dirname(process.execPath)]),
    },
  });
}

/** Boots, trying KVM once when it might work and falling back to TCG (recording the verdict). */
async function bootVm(tree: KernelTree, initramfs: string, share: string, opts: StartOptions, serialLog: string) {
  const log = opts.log ?? (() => {});
  const timeoutMs = opts.bootTimeoutMs ?? 120_000;
  const choice = await chooseAccel(opts.accel ?? accelPreference());
  if (choice !== 'kvm?') return { accel: choice, booted: await bootWith(choice, tree, initramfs, share, opts, serialLog, timeoutMs) };
  try {
    const booted = await bootWith('kvm', tree, initramfs, share, opts, serialLog, Math.min(timeoutMs, 30_000));
    await recordKvmVerdict('works');
    return { accel: 'kvm' as const, booted };
  } catch (e) {
    if (!(e instanceof BootError)) throw e;
    // qemu's own complaint (e.g. "failed to set MSR") is the last line it wrote to the log.
    const reason = `${e.reason}: ${serialTail(e.serialLog, 1)}`;
    await recordKvmVerdict('broken', reason);
    log(`KVM did not boot the test kernel (${reason}); using TCG from now on (TK_ACCEL=kvm forces it)`);
    return { accel: 'tcg' as const, booted: await bootWith('tcg', tree, initramfs, share, opts, serialLog, timeoutMs) };
  }
}

export async function start(opts: StartOptions): Promise<Vm> {
  const spec = kernelSpec(opts.kernel);
  const log = opts.log ?? (() => {});
  if (!existsSync('/usr/sbin/modprobe'))
    throw new Error("kmod is not installed (the guest loads modules with the host's modprobe): run `npm run setup`");
  const tree = await fetchKernel(spec, log);
  const modules = opts.modules ?? [];
  const bad = modules.find((m) => !/^[A-Za-z0-9_-]+$/.test(m));
  if (bad !== undefined) throw new Error(`module name '${bad}' is not a plain module name (letters, digits, _ and -)`);
  await checkModules(tree, modules);
  const initramfs = await buildInitramfs(tree, loadMatrix().bootModules);
  await prepareGuestTools();

  mkdirSync(logsDir, { recursive: true });
  // Named per VM: two test files may each run a VM of the same kernel at once.
  const vmName = `${spec.id}-${processTag}-${++runSeq}`;
  const serialLog = path.join(logsDir, `${vmName}.serial.log`);
  const shareDir = path.join(work.runs, vmName);
  rmSync(shareDir, { recursive: true, force: true });
  mkdirSync(path.join(shareDir, 'exec'), { recursive: true });

  const t0 = Date.now();
  const { accel, booted } = await bootVm(tree, initramfs, shareDir, opts, serialLog);
  const bootMs = Date.now() - t0;
  log(`kernel ${spec.id}: ${booted.release} up in ${bootMs} ms (${accel})`);

  const session = new GuestSession(spec.id, booted, shareDir, serialLog);
  const vm: Vm = {
    id: spec.id,
    spec,
    tree,
    release: booted.release,
    accel,
    shareDir,
    serialLog,
    bootMs,
    exec: (cmd, eo) => session.exec(cmd, eo),
    stop: () => session.stop(),
  };
  if (modules.length > 0) {
    // A dozen modules, each with its BTF to parse, under TCG on a loaded host: seen past 120 s.
    const r = await vm.exec(`modprobe -a ${modules.join(' ')}`, { timeoutMs: 360_000 });
    if (r.code !== 0) {
      await vm.stop().catch(() => {});
      throw new Error(`kernel ${spec.id}: modprobe -a ${modules.join(' ')} failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
    }
  }
  return vm;
}
