// TCG or KVM. KVM is used only where it has been seen to boot a test kernel on this host: on these
// hosts /dev/kvm exists but is backed by kvm_pvm, which aborts or stalls stock Debian kernels
// (reference/test-kernel/FINDINGS.md §2). The verdict of the first attempt is kept per host kernel
// and qemu version in .work/accel.json, so a broken KVM costs one failed attempt per machine.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workDir } from './paths.js';
import { run } from './proc.js';
import type { Accel } from './qemu.js';

export type AccelChoice = Accel | 'auto';

interface Verdict {
  kvm: 'works' | 'broken';
  reason?: string;
  at: string;
}

const verdictFile = () => path.join(workDir, 'accel.json');

export function accelPreference(): AccelChoice {
  const v = process.env.TK_ACCEL ?? 'auto';
  if (v === 'auto' || v === 'tcg' || v === 'kvm') return v;
  throw new Error(`TK_ACCEL='${v}': use tcg, kvm or auto`);
}

function kvmDeviceUsable(): boolean {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

let hostKeyCache: string | undefined;
async function hostKey(): Promise<string> {
  if (!hostKeyCache) {
    const v = await run(['qemu-system-x86_64', '--version']);
    hostKeyCache = `${os.release()} / ${v.stdout.split('\n')[0]?.trim()}`;
  }
  return hostKeyCache;
}

function readVerdicts(): Record<string, Verdict> {
  return existsSync(verdictFile()) ? JSON.parse(readFileSync(verdictFile(), 'utf8')) : {};
}

export async function recordKvmVerdict(kvm: Verdict['kvm'], reason?: string): Promise<void> {
  const all = readVerdicts();
  all[await hostKey()] = { kvm, reason, at: new Date().toISOString() };
  mkdirSync(workDir, { recursive: true });
  writeFileSync(verdictFile(), `${JSON.stringify(all, null, 2)}\n`);
}

/**
 * What to boot with: 'kvm' or 'tcg' for sure, or 'kvm?' when KVM is worth one attempt that the
 * caller must confirm (recordKvmVerdict) or fall back from.
 */
export async function chooseAccel(pref: AccelChoice): Promise<Accel | 'kvm?'> {
  if (pref !== 'auto') return pref;
  if (!kvmDeviceUsable()) return 'tcg';
  const verdict = readVerdicts()[await hostKey()];
  if (verdict) return verdict.kvm === 'works' ? 'kvm' : 'tcg';
  return 'kvm?';
}
