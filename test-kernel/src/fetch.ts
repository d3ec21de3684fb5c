// Gets a matrix kernel onto disk, never installing it: apt-get download + dpkg -x into
// .work/kernels/<package>_<version>/, depmod (the .deb leaves modules.dep to its postinst) and the ELF
// vmlinux pulled out of the bzImage. A finished tree carries tree.json and is reused as is.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AptWorld } from './apt.js';
import { extractVmlinux } from './bzimage.js';
import type { KernelSpec } from './matrix.js';
import { processTag, work } from './paths.js';
import { run } from './proc.js';
import { resolveKernelPackage } from './resolve.js';

export interface KernelTree {
  id: string;
  package: string;
  version: string;
  /** `uname -r` of the kernel. */
  kver: string;
  /** The unpacked package: ROOT/boot, ROOT/lib/modules/KVER. */
  root: string;
  vmlinux: string;
  bzImage: string;
  config: string;
  /** Set when the pin had left the archive. */
  warning?: string;
}

const treeDir = (pkg: string, version: string) => path.join(work.kernels, `${pkg}_${version}`);

/** Paths are derived, not stored, so the cache survives being moved (e.g. restored by CI elsewhere). */
function treeAt(dir: string, meta: Pick<KernelTree, 'id' | 'package' | 'version' | 'kver'>): KernelTree {
  const root = path.join(dir, 'root');
  const boot = path.join(root, 'boot');
  return {
    ...meta,
    root,
    vmlinux: path.join(boot, `vmlinux-${meta.kver}`),
    bzImage: path.join(boot, `vmlinuz-${meta.kver}`),
    config: path.join(boot, `config-${meta.kver}`),
  };
}

function readTree(dir: string): KernelTree | undefined {
  const stamp = path.join(dir, 'tree.json');
  if (!existsSync(stamp)) return undefined;
  const tree = treeAt(dir, JSON.parse(readFileSync(stamp, 'utf8')));
  return existsSync(tree.vmlinux) ? tree : undefined;
}

async function unpack(apt: AptWorld, spec: KernelSpec, pkg: string, version: string): Promise<KernelTree> {
  const dir = treeDir(pkg, version);
  // Build beside the final place and rename, so a killed fetch never leaves a half tree that looks done.
  const tmp = `${dir}.tmp-${processTag}`;
  rmSync(tmp, { recursive: true, force: true });
  const deb = await apt.download(pkg, version, tmp);
  const root = path.join(tmp, 'root');
  await run(['dpkg-deb', '-x', deb, root]);
  rmSync(deb);
  const modulesDir = path.join(root, 'lib', 'modules');
  const kver = existsSync(modulesDir) ? readdirSync(modulesDir)[0] : undefined;
  if (!kver) throw new Error(`${pkg}=${version}: no lib/modules/<version> in the package; is it a kernel image?`);
  await run(['depmod', '-b', root, kver]);
  const boot = path.join(root, 'boot');
  await extractVmlinux(path.join(boot, `vmlinuz-${kver}`), path.join(boot, `vmlinux-${kver}`));
  const meta = { id: spec.id, package: pkg, version, kver };
  writeFileSync(path.join(tmp, 'tree.json'), `${JSON.stringify(meta, null, 2)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return treeAt(dir, meta);
}

/** The unpacked kernel for a matrix entry, downloading it on first use. */
export async function fetchKernel(spec: KernelSpec, log: (msg: string) => void = () => {}): Promise<KernelTree> {
  const pinned = readTree(treeDir(spec.pin.package, spec.pin.version));
  if (pinned) return pinned;
  const apt = new AptWorld(spec.release, spec.suites);
  const resolved = await resolveKernelPackage(apt, spec);
  if (resolved.warning) log(`warning: ${resolved.warning}`);
  mkdirSync(work.kernels, { recursive: true });
  const tree = readTree(treeDir(resolved.package, resolved.version)) ?? (await unpack(apt, spec, resolved.package, resolved.version));
  log(`kernel ${spec.id}: ${tree.package}=${tree.version} (${tree.kver}) in ${tree.root}`);
  return { ...tree, warning: resolved.warning };
}
