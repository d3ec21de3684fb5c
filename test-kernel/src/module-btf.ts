// External module BTF for matrix kernels that publish none (kernels.json facts.moduleBtf false:
// Debian 11's 5.10), made the way a user makes it: the kernel's -dbg package for the module debug
// info, then `nettrace btf build`. Fixtures that read module structs then run there with --btf.
// Only the module files are taken out of the -dbg package (800 MB), and only the BTF is kept.
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { AptWorld } from './apt.js';
import type { KernelTree } from './fetch.js';
import type { KernelSpec } from './matrix.js';
import { processTag } from './paths.js';
import { run } from './proc.js';
import type { Cell } from './verify-gate.js';
import { cliBin } from './verify-gate.js';
import type { Vm } from './vm.js';

/** The modules whose structs the shared headers (bpf-headers/nettrace/modules) describe. */
export const MODULES_WITH_HEADERS = ['tun', 'vhost', 'vhost_net', 'openvswitch', 'virtio_net', 'kvm', 'vxlan'];

/** Debian's debug package for a kernel image package (the -unsigned flavour shares it). */
export const debugPackage = (imagePackage: string) => `${imagePackage.replace(/-unsigned$/, '')}-dbg`;

/** Path of the BTF file with vmlinux and module types for this kernel, building it on first use. */
export async function moduleBtfFile(spec: KernelSpec, tree: KernelTree, log: (m: string) => void = () => {}): Promise<string> {
  // Named by the module list, so a module added to it makes a new file instead of reusing one
  // that lacks its types.
  const out = path.join(path.dirname(tree.root), `modules-${MODULES_WITH_HEADERS.join('+')}.btf`);
  if (existsSync(out)) return out;
  if (!existsSync(cliBin)) throw new Error(`${cliBin} is missing: run \`npm run build\` first`);
  const tmp = `${out}.tmp-${processTag}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    const started = Date.now();
    const deb = await new AptWorld(spec.release, spec.suites).download(debugPackage(tree.package), tree.version, tmp);
    const patterns = MODULES_WITH_HEADERS.map((m) => `'*/${m}.ko'`).join(' ');
    await run(['sh', '-c', `dpkg-deb --fsys-tarfile '${deb}' | tar -x -C '${tmp}' --wildcards ${patterns}`]);
    rmSync(deb);
    const debugDir = path.join(tmp, 'usr/lib/debug/lib/modules', tree.kver);
    await run([
      process.execPath,
      cliBin,
      'btf',
      'build',
      '--base',
      tree.vmlinux,
      '--debug-dir',
      debugDir,
      '--modules',
      MODULES_WITH_HEADERS.join(','),
      '-O',
      path.join(tmp, 'modules.btf'),
    ]);
    renameSync(path.join(tmp, 'modules.btf'), out);
    log(`kernel ${spec.id}: module BTF from ${debugPackage(tree.package)} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${out}`);
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The module-BTF step of a fixture check. Where the kernel publishes module BTF: no external file
 * (run as is). Where it does not: a run without --btf must be refused naming the modules (as
 * nettrace lists them: sorted) and `nettrace btf build`, else the check has failed; then the
 * external BTF file to run with.
 */
export async function externalBtfAfterRefusal(
  vm: Vm,
  modules: string | string[],
  runWithoutBtf: () => Promise<{ ran: boolean; stderr: string }>,
): Promise<{ btf: string | undefined } | { failed: Cell }> {
  if (vm.spec.facts.moduleBtf) return { btf: undefined };
  const names = [modules].flat();
  const bare = await runWithoutBtf();
  const why = `this kernel publishes no BTF for ${names.length > 1 ? 'modules' : 'module'} ${names.join(', ')}`;
  if (bare.ran || !bare.stderr.includes(why) || !bare.stderr.includes('nettrace btf build')) {
    const said = bare.ran ? 'ran' : `said:\n${bare.stderr.trim()}`;
    return {
      failed: { state: 'failed', detail: `kernel ${vm.id}: without --btf the run must be refused with "${why}" and the fix; it ${said}` },
    };
  }
  return { btf: await moduleBtfFile(vm.spec, vm.tree) };
}

/** The matrix note for a check that ran with an external BTF. */
export const EXTERNAL_BTF_NOTE = 'module types from `nettrace btf build` (-dbg package); kprobes, no fentry on modules';
