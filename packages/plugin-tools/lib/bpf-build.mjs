// The one build rule for BPF C: every `<package>/bpf/*.bpf.c` becomes `<package>/dist/<name>.bpf.o`,
// compiled with clang-19 against vmlinux.h (generated from BTF) and the shared headers of
// @nettrace/bpf-headers. The caller says where the headers are: the monorepo's (tooling/src/paths.mjs)
// or the installed package's (plugin-build.mjs), as `{ vmlinux, nettrace, libbpf }` directories.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

// Overridable for authors whose clang is not Debian's clang-19.
const CLANG = process.env.CLANG ?? 'clang-19';
const STRIP = process.env.LLVM_STRIP ?? 'llvm-strip-19'; // spawns: llvm-strip-19

/** Node's process.arch → the kernel's name for it in libbpf's __TARGET_ARCH_<arch> (bpf_tracing.h:
 * which pt_regs layout PT_REGS_PARM1() and friends read). The architectures nettrace ships for. */
// @nettrace/core's kernel/arch.ts names them the same way for the run's check of kprobe objects.
const BPF_ARCH = { x64: 'x86', arm64: 'arm64' };

/** The architecture a package's BPF objects are built for: package.json `nettrace.bpfArch` (a kernel
 * name: x86, arm64) when it says, else this machine's (`hostArch`, a process.arch name). */
export function bpfTargetArch(pkg, hostArch = process.arch) {
  const declared = pkg?.nettrace?.bpfArch;
  const known = Object.values(BPF_ARCH);
  if (declared !== undefined) {
    if (!known.includes(declared))
      throw new Error(`${pkg.name}: nettrace.bpfArch '${declared}' is not one nettrace builds for (${known.join(', ')})`);
    return declared;
  }
  const arch = BPF_ARCH[hostArch];
  if (!arch)
    throw new Error(
      `${pkg?.name ?? 'this package'}: cannot build BPF objects for this machine's architecture '${hostArch}' (nettrace builds for ${known.join(', ')}): set nettrace.bpfArch in package.json`,
    );
  return arch;
}

/** The directory of `arch`'s vmlinux.h below `dir`: `dir` itself for this machine's architecture
 * (its BTF is at hand), `dir/<arch>` for another one (whose BTF NETTRACE_BUILD_BTF names). */
export function vmlinuxDir(dir, arch, hostArch = process.arch) {
  return arch === BPF_ARCH[hostArch] ? dir : join(dir, arch);
}

/** `dir`/vmlinux.h from the build machine's kernel BTF (CO-RE relocates against the target at load);
 * for another architecture (`arch`), `dir/<arch>/vmlinux.h` from the BTF NETTRACE_BUILD_BTF names. */
export function ensureVmlinuxHeader(dir, arch = bpfTargetArch(undefined), hostArch = process.arch) {
  const foreign = arch !== BPF_ARCH[hostArch];
  const outDir = vmlinuxDir(dir, arch, hostArch);
  const out = join(outDir, 'vmlinux.h');
  if (existsSync(out)) return out;
  if (foreign && !process.env.NETTRACE_BUILD_BTF) {
    throw new Error(
      `building BPF for ${arch} on a ${hostArch} machine needs that architecture's kernel BTF: set NETTRACE_BUILD_BTF to an ${arch} vmlinux ELF or BTF file`,
    );
  }
  dir = outDir;
  const btf = process.env.NETTRACE_BUILD_BTF ?? '/sys/kernel/btf/vmlinux';
  if (!existsSync(btf)) {
    throw new Error(`no kernel BTF at ${btf}: set NETTRACE_BUILD_BTF to a vmlinux ELF or BTF file`);
  }
  mkdirSync(dir, { recursive: true });
  const text = execFileSync('bpftool', ['btf', 'dump', 'file', btf, 'format', 'c'], { maxBuffer: 1 << 30 });
  writeFileSync(out, text);
  return out;
}

function newestMtime(paths) {
  return Math.max(...paths.map((p) => statSync(p).mtimeMs));
}

/** Every shared header, modules/ included: an object is stale when any of them changed. */
function headerFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.h'))
    .map((f) => join(dir, f));
}

/** Compiles the package's BPF sources against `headers` for the package's target architecture
 * (bpfTargetArch); returns the object paths. */
export function buildBpf(pkgDir, headers) {
  const srcDir = join(pkgDir, 'bpf');
  if (!existsSync(srcDir)) return [];
  const manifest = join(pkgDir, 'package.json');
  const arch = bpfTargetArch(existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')) : undefined);
  const vmlinux = vmlinuxDir(headers.vmlinux, arch);
  const sources = readdirSync(srcDir).filter((f) => f.endsWith('.bpf.c'));
  const outDir = join(pkgDir, 'dist');
  mkdirSync(outDir, { recursive: true });
  const deps = [...headerFiles(headers.nettrace), join(vmlinux, 'vmlinux.h')];
  const localHeaders = readdirSync(srcDir)
    .filter((f) => f.endsWith('.h'))
    .map((f) => join(srcDir, f));
  return sources.map((file) => {
    const src = join(srcDir, file);
    const obj = join(outDir, `${basename(file, '.c')}.o`);
    const inputs = [src, ...deps, ...localHeaders];
    if (existsSync(obj) && statSync(obj).mtimeMs >= newestMtime(inputs)) return obj;
    execFileSync(
      CLANG,
      [
        '-g',
        '-O2',
        '-target',
        'bpf',
        `-D__TARGET_ARCH_${arch}`,
        '-mcpu=v3',
        '-Wall',
        '-Werror',
        '-Wno-unused-function',
        '-I',
        vmlinux,
        '-I',
        headers.nettrace,
        '-I',
        headers.libbpf,
        '-I',
        srcDir,
        '-c',
        src,
        '-o',
        obj,
      ],
      { stdio: 'inherit' },
    );
    // Drop DWARF but keep BTF/BTF.ext: smaller packages, same CO-RE information.
    execFileSync(STRIP, ['-g', obj]);
    return obj;
  });
}
