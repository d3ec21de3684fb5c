// The BPF target architecture of a plugin build: package.json nettrace.bpfArch, else this machine's;
// vmlinux.h per architecture; one clear line for an architecture nettrace does not build for.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfTargetArch, ensureVmlinuxHeader, vmlinuxDir } from '@nettrace/plugin-tools';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBpf } from '../../../tooling/src/bpf-build.mjs';

const pkg = (bpfArch?: string) => ({ name: '@acme/p', nettrace: { id: 'p', ...(bpfArch ? { bpfArch } : {}) } });

describe('BPF target architecture', () => {
  it("is package.json nettrace.bpfArch when declared, else the host's (x64 → x86, arm64 → arm64)", () => {
    expect(bpfTargetArch(pkg('arm64'), 'x64')).toBe('arm64');
    expect(bpfTargetArch(pkg('x86'), 'arm64')).toBe('x86');
    expect(bpfTargetArch(pkg(), 'x64')).toBe('x86');
    expect(bpfTargetArch(pkg(), 'arm64')).toBe('arm64');
    expect(bpfTargetArch(undefined, 'x64')).toBe('x86');
  });

  it('refuses an architecture nettrace does not build for, in one line naming the package', () => {
    expect(() => bpfTargetArch(pkg('mips'), 'x64')).toThrow(
      /^@acme\/p: nettrace.bpfArch 'mips' is not one nettrace builds for \(x86, arm64\)$/,
    );
    expect(() => bpfTargetArch(pkg(), 'ppc64')).toThrow(
      /@acme\/p: cannot build BPF objects for this machine's architecture 'ppc64'.*set nettrace.bpfArch/,
    );
  });

  it("keeps the host's vmlinux.h where it was and another architecture's in its own folder", () => {
    expect(vmlinuxDir('/b', 'x86', 'x64')).toBe('/b');
    expect(vmlinuxDir('/b', 'arm64', 'arm64')).toBe('/b');
    expect(vmlinuxDir('/b', 'arm64', 'x64')).toBe('/b/arm64');
    expect(vmlinuxDir('/b', 'x86', 'arm64')).toBe('/b/x86');
  });

  it("asks for NETTRACE_BUILD_BTF when the target is another architecture than the host's", () => {
    const dir = mkdtempSync(join(tmpdir(), 'nt-arch-'));
    const saved = process.env.NETTRACE_BUILD_BTF;
    delete process.env.NETTRACE_BUILD_BTF;
    try {
      expect(() => ensureVmlinuxHeader(dir, 'arm64', 'x64')).toThrow(/building BPF for arm64 on a x64 machine needs .* NETTRACE_BUILD_BTF/);
    } finally {
      if (saved !== undefined) process.env.NETTRACE_BUILD_BTF = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('buildBpf with a declared architecture', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nt-arch-build-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // PT_REGS_PARM1 does not compile without a __TARGET_ARCH_<arch> (bpf_tracing.h), and reads the
  // register of that architecture: the build passes the package's.
  const source = `#include "common.bpf.h"
SEC("kprobe/udp_sendmsg")
int probe(struct pt_regs *ctx) {
    return PT_REGS_PARM1_CORE(ctx) ? 0 : 1;
}
`;
  const write = (bpfArch?: string) => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'bpf'), { recursive: true });
    writeFileSync(join(dir, 'bpf/probe.bpf.c'), source);
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg(bpfArch)));
  };

  it("compiles a kprobe reading a register for the host's architecture, declared or not", () => {
    const host = bpfTargetArch(undefined);
    write(host);
    expect(buildBpf(dir).map((o) => o.slice(dir.length))).toEqual(['/dist/probe.bpf.o']);
    write();
    expect(buildBpf(dir)).toHaveLength(1);
  });

  it('refuses an unsupported declared architecture before compiling', () => {
    write('sparc');
    expect(() => buildBpf(dir)).toThrow(/nettrace.bpfArch 'sparc' is not one nettrace builds for/);
  });
});
