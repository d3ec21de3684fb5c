// The one build rule for BPF C: every `<package>/bpf/*.bpf.c` becomes `<package>/dist/<name>.bpf.o`,
// compiled with clang-19 against vmlinux.h (generated from BTF) and the shared headers of
// @nettrace/bpf-headers. The caller says where the headers are: the monorepo's (tooling/src/paths.mjs)
// or the installed package's (plugin-build.mjs), as `{ vmlinux, nettrace, libbpf }` directories.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

// Overridable for authors whose clang is not Debian's clang-19.
const CLANG = process.env.CLANG ?? 'clang-19';
const STRIP = process.env.LLVM_STRIP ?? 'llvm-strip-19'; // spawns: llvm-strip-19

/** `dir`/vmlinux.h from the build machine's kernel BTF (CO-RE relocates against the target at load). */
export function ensureVmlinuxHeader(dir) {
  const out = join(dir, 'vmlinux.h');
  if (existsSync(out)) return out;
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

/** Compiles the package's BPF sources against `headers`; returns the object paths. */
export function buildBpf(pkgDir, headers) {
  const srcDir = join(pkgDir, 'bpf');
  if (!existsSync(srcDir)) return [];
  const sources = readdirSync(srcDir).filter((f) => f.endsWith('.bpf.c'));
  const outDir = join(pkgDir, 'dist');
  mkdirSync(outDir, { recursive: true });
  const deps = [...headerFiles(headers.nettrace), join(headers.vmlinux, 'vmlinux.h')];
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
        '-D__TARGET_ARCH_x86',
        '-mcpu=v3',
        '-Wall',
        '-Werror',
        '-Wno-unused-function',
        '-I',
        headers.vmlinux,
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
