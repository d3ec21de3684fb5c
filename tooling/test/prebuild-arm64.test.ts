// @nettrace/core's linux-arm64 prebuilt addon (tooling/bin/prebuild-arm64.sh, cross-built here) on
// Debian's arm64 node under qemu-user: @nettrace/core imports, finds the prebuild through
// node-gyp-build (the checkout's x86-64 build fails to load first, as on a real arm64 host with a
// stale build), links libbpf and libelf, and opens a plugin's BPF object with the same programs,
// maps and variables as on x86-64. Loading into an arm64 kernel is test-kernel's arm64 VM's job.
import { join } from 'node:path';
import { BpfObject, native } from '@nettrace/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../test-kernel/src/proc.js';
import { repoRoot } from '../src/paths.mjs';

const sysroot = join(repoRoot, 'tooling/.cache/sysroot-arm64');
const prebuild = join(repoRoot, 'packages/core/prebuilds/linux-arm64/nettrace_core.napi.glibc.node');
const object = join(repoRoot, 'plugins/eth-drop/dist/eth_drop.bpf.o');

/** What the object looks like to @nettrace/core: printed as JSON by the arm64 node, computed here. */
const describeObject = `
const { BpfObject, native } = await import(process.argv[1]);
const o = BpfObject.open(process.argv[2]);
const seen = { arch: process.arch, libbpf: native().libbpfVersion(), programs: o.programs().map((p) => p.name),
  maps: o.maps().map((m) => m.name), stackVariable: o.hasVariable('cfg_stack') };
o.setVariable('cfg_stack', 0);
o.close();
console.log(JSON.stringify(seen));`;

describe('linux-arm64 prebuilt addon', () => {
  beforeAll(async () => {
    await run(['bash', join(repoRoot, 'tooling/bin/prebuild-arm64.sh')]);
  }, 900_000);

  it('is an arm64 shared object that needs only glibc and libelf from the target', async () => {
    const { stdout } = await run(['readelf', '-h', '-d', prebuild]);
    expect(stdout).toMatch(/Machine:\s+AArch64/);
    const needed = [...stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]).sort();
    expect(needed).toEqual(['ld-linux-aarch64.so.1', 'libc.so.6', 'libelf.so.1']);
  });

  it("runs under Debian's arm64 node: @nettrace/core opens a plugin's object as on x86-64", async () => {
    const { stdout } = await run(
      ['qemu-aarch64', '-L', sysroot, join(sysroot, 'usr/bin/node'), '--input-type=module', '-e', describeObject, join(repoRoot, 'packages/core/dist/index.js'), object],
      { env: { ...process.env, NETTRACE_ADDON: '' } },
    );
    const here = BpfObject.open(object);
    const expected = {
      arch: 'arm64',
      libbpf: native().libbpfVersion(),
      programs: here.programs().map((p) => p.name),
      maps: here.maps().map((m) => m.name),
      stackVariable: true,
    };
    here.close();
    expect(JSON.parse(stdout.trim().split('\n').at(-1) as string)).toEqual(expected);
  }, 300_000);
});
