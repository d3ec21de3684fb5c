// External BTF with module types, for kernels that publish none (before 5.11, or built without
// CONFIG_DEBUG_INFO_BTF_MODULES — Debian 11's 5.10 is one). Plugins that read module-private
// structs (tun_struct, vhost_virtqueue, datapath, virtnet_info...) cannot be relocated there.
// The distribution's kernel debug package has those modules' DWARF; pahole encodes it as split
// BTF on top of the kernel's own BTF, and the addon appends it to a copy of the kernel's BTF, so
// the result can be passed to `nettrace run --btf` (libbpf takes one self-contained file).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { native } from '../bpf/native.js';
import { fromNative, KernelSupportError, UsageError } from '../errors.js';

export interface ModuleBtfRequest {
  /** Module names as the kernel spells them (tun, vhost_net, openvswitch); '-' and '_' are equal. */
  modules: string[];
  /** Where the modules' debug files are (searched recursively for NAME.ko, NAME.ko.debug). */
  debugDir: string;
  /** The kernel's BTF: /sys/kernel/btf/vmlinux, or a vmlinux ELF / raw BTF of the target kernel. */
  base: string;
  out: string;
  pahole?: string;
}

export interface ModuleBtfResult {
  out: string;
  modules: Record<string, string>;
  baseTypes: number;
  moduleTypes: number;
}

/** Where Debian/Ubuntu (-dbg, -dbgsym) and Fedora/RHEL (kernel-debuginfo) put module debug info. */
export function defaultDebugDir(release: string): string {
  return `/usr/lib/debug/lib/modules/${release}`;
}

const canonical = (name: string) => name.replace(/-/g, '_');

/** module → debug file, for each module found under dir (a depth-first walk of the tree). */
export function findModuleDebugFiles(dir: string, modules: string[]): Map<string, string> {
  const wanted = new Set(modules.map(canonical));
  const found = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else {
        const m = /^(.+)\.ko(\.debug)?$/.exec(entry.name);
        const name = m && canonical(m[1]);
        if (name && wanted.has(name) && !found.has(name)) found.set(name, p);
      }
    }
  };
  walk(dir);
  return found;
}

function paholeVersion(pahole: string): number | undefined {
  const r = spawnSync(pahole, ['--version'], { encoding: 'utf8' });
  const m = /v?(\d+)\.(\d+)/.exec(r.stdout ?? '');
  return m ? Number(m[1]) * 100 + Number(m[2]) : undefined;
}

/** Encodes the modules' types with pahole and merges them with the base into req.out. */
export function buildModuleBtf(req: ModuleBtfRequest): ModuleBtfResult {
  const pahole = req.pahole ?? 'pahole'; // spawns: pahole
  if (!req.modules.length) throw new UsageError('no modules to encode: name them with --modules');
  if (!existsSync(req.base)) throw new UsageError(`--base: no such file: ${req.base}`);
  if (!existsSync(req.debugDir) || !statSync(req.debugDir).isDirectory())
    throw new KernelSupportError(
      `no module debug info at ${req.debugDir}`,
      'install the kernel debug package for this exact kernel (Debian: linux-image-$(uname -r)-dbg; Ubuntu: linux-image-$(uname -r)-dbgsym; Fedora/RHEL: kernel-debuginfo), or pass --debug-dir',
    );
  const version = paholeVersion(pahole);
  // --btf_encode_detached and split encoding over --btf_base: pahole 1.22.
  if (version === undefined)
    throw new KernelSupportError(`${pahole} is not installed`, 'install pahole (Debian/Ubuntu: apt-get install dwarves)');
  if (version < 122)
    throw new KernelSupportError(
      `pahole ${Math.floor(version / 100)}.${version % 100} is too old (1.22+ needed)`,
      'install a newer dwarves package',
    );

  const files = findModuleDebugFiles(req.debugDir, req.modules);
  const missing = req.modules.map(canonical).filter((m) => !files.has(m));
  if (missing.length)
    throw new KernelSupportError(
      `no debug file for module${missing.length > 1 ? 's' : ''} ${missing.join(', ')} under ${req.debugDir}`,
      'check the module names (lsmod) and that the debug package matches this kernel exactly',
    );

  const work = mkdtempSync(join(tmpdir(), 'nettrace-btf-'));
  try {
    const split = join(work, 'modules.btf');
    const r = spawnSync(pahole, ['--btf_base', req.base, `--btf_encode_detached=${split}`, ...files.values()], { encoding: 'utf8' });
    if (r.status !== 0 || !existsSync(split))
      throw new KernelSupportError(
        `pahole could not encode the modules' BTF (exit ${r.status}): ${(r.stderr || r.stdout || '').trim().slice(0, 500)}`,
      );
    let counts: { baseTypes: number; moduleTypes: number };
    try {
      counts = native().mergeSplitBtf(req.base, split, req.out);
    } catch (err) {
      throw fromNative(err);
    }
    return { out: req.out, modules: Object.fromEntries(files), ...counts };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
