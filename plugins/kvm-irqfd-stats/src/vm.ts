// The VM a run is about, named by its QEMU (or any VMM) process: checked before anything loads, so
// a wrong pid is a usage error rather than a run that silently counts nothing.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { type Configurer, type OptionValues, UsageError } from '@nettrace/core';
import type { options } from './hooks.js';
import { CATEGORIES, SUBCATEGORIES } from './report.js';

/** What the checks read of /proc (a fake in unit tests). */
export interface ProcView {
  /** The task's name, undefined when no such task (thread ids work too). */
  comm(tid: number): string | undefined;
  /** Targets of the process's file descriptors, e.g. "anon_inode:kvm-vm". */
  fdTargets(pid: number): string[];
}

export const liveProc: ProcView = {
  comm(tid) {
    try {
      return readFileSync(`/proc/${tid}/comm`, 'utf8').trim();
    } catch {
      return undefined;
    }
  },
  fdTargets(pid) {
    const dir = `/proc/${pid}/fd`;
    let fds: string[];
    try {
      fds = readdirSync(dir);
    } catch {
      return []; // gone, or not ours to read
    }
    return fds.flatMap((fd) => {
      try {
        return [readlinkSync(`${dir}/${fd}`)];
      } catch {
        return []; // closed meanwhile
      }
    });
  },
};

/** QEMU_PID must be a running process that holds a KVM VM (the fd KVM_CREATE_VM returned). */
export function checkVmProcess(pid: number, proc: ProcView): void {
  const comm = proc.comm(pid);
  if (comm === undefined) throw new UsageError(`QEMU_PID ${pid}: no such process`);
  if (!proc.fdTargets(pid).includes('anon_inode:kvm-vm'))
    throw new UsageError(`QEMU_PID ${pid} (${comm}) is not a KVM process: it holds no VM (no anon_inode:kvm-vm file descriptor)`);
}

/** --vhost-pid must be the vhost worker of that VM's process: a task named vhost-<QEMU_PID>. */
export function checkVhostWorker(tid: number, qemuPid: number, proc: ProcView): void {
  const comm = proc.comm(tid);
  if (comm === undefined) throw new UsageError(`--vhost-pid ${tid}: no such thread`);
  if (comm !== `vhost-${qemuPid}`)
    throw new UsageError(`--vhost-pid ${tid} (${comm}) is not a vhost worker of QEMU_PID ${qemuPid} (those are named vhost-${qemuPid})`);
}

/** "vhost-<pid>" as the rodata byte array the tracepoint path compares task names with. */
function vhostComm(pid: number): Uint8Array {
  const bytes = new Uint8Array(16);
  bytes.set(new TextEncoder().encode(`vhost-${pid}`).subarray(0, 15));
  return bytes;
}

/** configure() against a /proc view (the live one in runs, a fake in unit tests). */
export function configureWith(proc: ProcView) {
  return (cfg: Configurer, o: OptionValues<typeof options>): void => {
    const qemuPid = o.qemuPid;
    // Core refuses a run without it (required); the type does not say so.
    if (qemuPid === undefined) throw new UsageError('QEMU_PID is required');
    if (o.vhostPid !== undefined && o.category !== 'data') throw new UsageError('--vhost-pid needs --category data');
    if (o.subcategory !== undefined && o.category !== 'data')
      throw new UsageError('--subcategory needs --category data (rx/tx are vhost-net queues)');
    // The pids are checked against /proc here, before load: a wrong one would count nothing.
    checkVmProcess(qemuPid, proc);
    if (o.vhostPid !== undefined) {
      checkVhostWorker(o.vhostPid, qemuPid, proc);
      cfg.set('cfg_vhost_tid', o.vhostPid);
    }
    if (o.category) cfg.set('cfg_category', CATEGORIES.indexOf(o.category));
    if (o.subcategory) cfg.set('cfg_subcategory', SUBCATEGORIES.indexOf(o.subcategory));
    cfg.set('cfg_vhost_comm', vhostComm(qemuPid));
  };
}
