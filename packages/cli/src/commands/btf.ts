// `nettrace btf build`: one BTF file with kernel module types, for kernels that publish no module
// BTF (5.10 and older, or CONFIG_DEBUG_INFO_BTF_MODULES unset). Runs are then given it with --btf.
import { release } from 'node:os';
import { buildModuleBtf, defaultDebugDir, features, UsageError } from '@nettrace/core';
import { outputFormat, parseCommandArgs, type SimpleOutput } from '../args.js';
import { discoverPlugins } from '../discover.js';
import type { Io } from '../io.js';

export const btfHelp = `Usage: nettrace btf build [options]

Builds one BTF file holding this kernel's types and those of its modules, for kernels that
publish no module BTF (no /sys/kernel/btf/<module>: 5.10 and older, or a kernel built without
CONFIG_DEBUG_INFO_BTF_MODULES). Plugins that read module structs (tun, vhost, openvswitch,
virtio_net, kvm) then run with --btf FILE. Needs pahole (package dwarves) and the kernel's debug
package (Debian: linux-image-<release>-dbg; Ubuntu: -dbgsym; Fedora/RHEL: kernel-debuginfo).

Options:
  --modules a,b,...   modules to encode (default: every module an installed plugin hooks)
  --debug-dir <dir>   where the modules' debug files are (default: ${defaultDebugDir('<release>')})
  --base <file>       the kernel's BTF: a vmlinux ELF or raw BTF (default: /sys/kernel/btf/vmlinux)
  --release <r>       kernel release for the default debug dir (default: the running kernel)
  -O, --out <file>    where to write it (default: ./nettrace-<release>.btf)
  -o, --output table|json
  -h, --help`;

interface BtfArgs {
  modules?: string[];
  debugDir?: string;
  base?: string;
  release?: string;
  out?: string;
  output: SimpleOutput;
  help: boolean;
}

function parseBtfArgs(argv: string[]): BtfArgs {
  const { values: v, positionals } = parseCommandArgs(
    argv,
    {
      modules: { type: 'string' },
      'debug-dir': { type: 'string' },
      base: { type: 'string' },
      release: { type: 'string' },
      out: { type: 'string', short: 'O' },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
    'btf build',
    ' (see nettrace btf --help)',
  );
  if (positionals.length) throw new UsageError(`nettrace btf build: unexpected argument '${positionals[0]}' (see nettrace btf --help)`);
  const text = (key: string) => v[key] as string | undefined;
  return {
    modules: text('modules')
      ?.split(',')
      .map((m) => m.trim())
      .filter(Boolean),
    debugDir: text('debug-dir'),
    base: text('base'),
    release: text('release'),
    out: text('out'),
    output: outputFormat(v.output),
    help: v.help === true,
  };
}

/** Every module named by an installed plugin's hook alternatives. */
function pluginModules(pluginDirs: string[]): string[] {
  const mods = new Set<string>();
  for (const p of discoverPlugins(pluginDirs).plugins)
    for (const h of p.manifest.hooks) for (const alt of h.alternatives) if (alt.module) mods.add(alt.module);
  return [...mods].sort();
}

export function btfCommand(argv: string[], pluginDirs: string[], io: Io): number {
  const [sub, ...rest] = argv;
  if (sub === undefined) {
    io.err(btfHelp);
    return 2;
  }
  if (sub === '-h' || sub === '--help') {
    io.out(btfHelp);
    return 0;
  }
  if (sub !== 'build') throw new UsageError(`nettrace btf: unknown subcommand '${sub}' (only: build)`);
  const a = parseBtfArgs(rest);
  if (a.help) {
    io.out(btfHelp);
    return 0;
  }
  const rel = a.release ?? release();
  const base = a.base ?? '/sys/kernel/btf/vmlinux';
  if (!a.base && rel !== release())
    throw new UsageError(`--release ${rel} is not the running kernel: give its BTF with --base (e.g. its vmlinux from the debug package)`);
  if (!a.base && !features.hasVmlinuxBtf())
    throw new UsageError('this kernel publishes no BTF (/sys/kernel/btf/vmlinux): give --base with the vmlinux from its debug package');
  const modules = a.modules ?? pluginModules(pluginDirs);
  if (!modules.length) throw new UsageError('no installed plugin hooks a kernel module: name the modules with --modules');
  const r = buildModuleBtf({ modules, base, debugDir: a.debugDir ?? defaultDebugDir(rel), out: a.out ?? `nettrace-${rel}.btf` });
  if (a.output === 'json') {
    io.out(JSON.stringify({ out: r.out, release: rel, base, modules: r.modules, base_types: r.baseTypes, module_types: r.moduleTypes }));
    return 0;
  }
  io.out(`wrote ${r.out}: ${r.moduleTypes} types of ${Object.keys(r.modules).join(', ')} on top of ${r.baseTypes} kernel types`);
  io.out(`use it with: nettrace run <plugin> --btf ${r.out}   (or: export NETTRACE_BTF=${r.out})`);
  return 0;
}
