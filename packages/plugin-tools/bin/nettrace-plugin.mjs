#!/usr/bin/env node
// nettrace-plugin build [dir]: builds the plugin package in dir (default: the working directory).
import { resolve } from 'node:path';
import { buildPlugin } from '../lib/plugin-build.mjs';

const help = `Usage: nettrace-plugin build [dir]

Builds the nettrace plugin package in dir (default: .): bpf/*.bpf.c -> dist/*.bpf.o with clang
(CLANG, default clang-19) against @nettrace/bpf-headers and a vmlinux.h made by bpftool from this
machine's BTF (NETTRACE_BUILD_BTF, default /sys/kernel/btf/vmlinux) into build/; then
src/<object>.gen.ts (contract, decoders of package.json nettrace.types), tsc, dist/manifest.json.

Exit status: 0 built, 1 the build failed, 2 usage error.`;

const [command, dir, ...rest] = process.argv.slice(2);
if (command === '-h' || command === '--help' || command === 'help') {
  process.stdout.write(`${help}\n`);
  process.exit(0);
}
if (command !== 'build' || rest.length || dir?.startsWith('-')) {
  process.stderr.write(`nettrace-plugin: usage: nettrace-plugin build [dir] (see nettrace-plugin --help)\n`);
  process.exit(2);
}
try {
  await buildPlugin(resolve(dir ?? '.'), (line) => process.stderr.write(`nettrace-plugin: ${line}\n`));
} catch (err) {
  process.stderr.write(`nettrace-plugin: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
