// The monorepo's binding of the one BPF build rule (@nettrace/plugin-tools, bpf-build.mjs) to its
// headers: bpf-headers, the vendored libbpf, vmlinux.h in bpf-headers/build.
// A package built for another architecture than this machine's (package.json nettrace.bpfArch:
// kvm-irqfd-stats-arm) compiles against that architecture's vmlinux.h, from NETTRACE_BUILD_BTF when
// set, else from the BTF of the arm64 kernel the test kernels boot (test-kernel's download code,
// cached in test-kernel/.work/arm64): the kprobes' register struct and every type are arm64's.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as rule from '@nettrace/plugin-tools';
import { repoHeaders, repoRoot } from './paths.mjs';

export const ensureVmlinuxHeader = () => rule.ensureVmlinuxHeader(repoHeaders.vmlinux);

/** The foreign architecture's BTF file for the build: test-kernel's (built before the plugins by
 * build.mjs, and by lerna because the arm64 plugin has it as a devDependency). */
async function foreignBtf(arch) {
  if (process.env.NETTRACE_BUILD_BTF) return process.env.NETTRACE_BUILD_BTF;
  if (arch !== 'arm64') throw new Error(`no reference kernel for ${arch} objects: set NETTRACE_BUILD_BTF`);
  const testKernel = join(repoRoot, 'test-kernel/dist/index.js');
  if (!existsSync(testKernel)) throw new Error(`arm64 objects need test-kernel built first (${testKernel})`);
  const { arm64Btf } = await import(testKernel);
  if (!arm64Btf) throw new Error(`arm64 objects need test-kernel rebuilt: node tooling/bin/build.mjs --only test-kernel`);
  return arm64Btf((m) => process.stderr.write(`build: ${m}\n`));
}

/** Makes the vmlinux.h of the package's target architecture when it is another one than this
 * machine's (before buildBpf, which is synchronous for its many callers). */
export async function ensureArchHeader(pkgDir) {
  const manifest = join(pkgDir, 'package.json');
  const arch = rule.bpfTargetArch(existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')) : undefined);
  if (!existsSync(join(rule.vmlinuxDir(repoHeaders.vmlinux, arch), 'vmlinux.h'))) {
    const btf = await foreignBtf(arch);
    const saved = process.env.NETTRACE_BUILD_BTF;
    process.env.NETTRACE_BUILD_BTF = btf;
    try {
      rule.ensureVmlinuxHeader(repoHeaders.vmlinux, arch);
    } finally {
      if (saved === undefined) delete process.env.NETTRACE_BUILD_BTF;
      else process.env.NETTRACE_BUILD_BTF = saved;
    }
  }
}

export const buildBpf = (pkgDir) => rule.buildBpf(pkgDir, repoHeaders);
