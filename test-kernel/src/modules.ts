// Module dependency closures, resolved on the host with kmod against the unpacked kernel tree.
// `--show-depends` lists hard dependencies and softdeps in load order (libcrc32c needs crc32c only
// through a softdep, which busybox's modprobe would miss), and marks built-in modules.
import type { KernelTree } from './fetch.js';
import { run } from './proc.js';

export interface ModuleFile {
  /** Path of the .ko(.xz|.zst) in the unpacked tree. */
  file: string;
  /** Path below lib/modules/KVER/, without the compression suffix. */
  rel: string;
}

export class UnknownModuleError extends Error {
  constructor(tree: KernelTree, name: string) {
    super(
      `module '${name}' is not in kernel ${tree.id} (${tree.package}); ` +
        `list what it has with: find ${tree.root}/lib/modules/${tree.kver} -name '*.ko*'`,
    );
    this.name = 'UnknownModuleError';
  }
}

async function showDepends(tree: KernelTree, name: string): Promise<string> {
  const r = await run(['modprobe', '-d', tree.root, '-S', tree.kver, '--show-depends', name], { allowFailure: true });
  if (r.code !== 0) throw new UnknownModuleError(tree, name);
  return r.stdout;
}

/** Every module file needed to load `names`, dependencies first, each once; built-ins are skipped. */
export async function moduleClosure(tree: KernelTree, names: readonly string[]): Promise<ModuleFile[]> {
  const prefix = `${tree.root}/lib/modules/${tree.kver}/`;
  const seen = new Set<string>();
  const out: ModuleFile[] = [];
  for (const name of names) {
    for (const line of (await showDepends(tree, name)).split('\n')) {
      const file = /^insmod\s+(\S+)/.exec(line)?.[1];
      if (!file || seen.has(file)) continue;
      seen.add(file);
      if (!file.startsWith(prefix)) throw new Error(`modprobe resolved ${name} outside the kernel tree: ${file}`);
      out.push({ file, rel: file.slice(prefix.length).replace(/\.(xz|zst|gz)$/, '') });
    }
  }
  return out;
}

/** Throws UnknownModuleError for the first name the kernel does not have (built-ins count as present). */
export async function checkModules(tree: KernelTree, names: readonly string[]): Promise<void> {
  for (const name of names) await showDepends(tree, name);
}
