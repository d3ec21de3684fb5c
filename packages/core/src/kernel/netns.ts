// Network namespaces for device options. A device is identified by (network namespace, ifindex):
// ifindexes are per namespace, so `ifindex 2` alone matches a different device in every container.
// `--netns NAME` (a name under /var/run/netns, as `ip netns` creates, or a path such as
// /proc/PID/ns/net) says where the plugin's interface options are resolved; its inode is the
// kernel's `net->ns.inum`, which BPF compares (bpf-headers/nettrace/netdev.bpf.h). No setns():
// names inside another namespace are resolved by `ip` (netlink inside that namespace).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { ifindexOf } from './net.js';

export interface NetnsValue {
  /** What the user typed (or "self" for the namespace nettrace runs in). */
  name: string;
  path: string;
  /** Inode of the namespace file = `struct net`'s ns.inum. */
  inode: number;
}

const RUN_DIR = '/var/run/netns';
const SELF = '/proc/self/ns/net';

function netnsPath(spec: string): string {
  return spec.includes('/') ? spec : `${RUN_DIR}/${spec}`;
}

/** Resolves `--netns`: a name under /var/run/netns or an absolute path to a network namespace file. */
export function netnsOf(spec: string, flag = '--netns'): NetnsValue {
  const path = netnsPath(spec);
  const valid = /^[\w.@:-]{1,255}$/.test(spec) || (spec.startsWith('/') && !spec.includes('\0'));
  let inode: number | undefined;
  if (valid && existsSync(path)) {
    const st = statSync(path);
    // A namespace file lives on nsfs: same device as our own namespace file, and not a directory.
    if (!st.isDirectory() && st.dev === statSync(SELF).dev) inode = st.ino;
  }
  if (inode === undefined) {
    const known = existsSync(RUN_DIR) ? readdirSync(RUN_DIR).join(', ') || 'none' : 'none';
    throw new UsageError(
      `${flag}: '${spec}' is not a network namespace (names under ${RUN_DIR}: ${known}; or a path such as /proc/PID/ns/net)`,
    );
  }
  return { name: spec, path, inode };
}

/** The network namespace nettrace itself runs in. */
export function currentNetns(): NetnsValue {
  return { name: 'self', path: SELF, inode: statSync(SELF).ino };
}

/** Interface name → ifindex inside `ns` (the current namespace when ns is this one). */
export function ifindexInNetns(ns: NetnsValue, name: string, flag = '--interface'): number {
  if (ns.inode === currentNetns().inode) return ifindexOf(name, flag);
  const where = `network namespace ${ns.name}`;
  if (!/^[\w.:@-]{1,15}$/.test(name)) throw new UsageError(`${flag}: '${name}' is not an interface name`);
  // `ip -n` takes names only; a path goes through nsenter (both switch namespace in the child only).
  const [cmd, prefix]: [string, string[]] =
    ns.path === `${RUN_DIR}/${ns.name}` ? ['ip', ['-n', ns.name]] : ['nsenter', [`--net=${ns.path}`, '--', 'ip']];
  const ipLink = (...rest: string[]) =>
    execFileSync(cmd, [...prefix, '-o', 'link', 'show', ...rest], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  let out: string;
  try {
    out = ipLink('dev', name);
  } catch {
    let known = '';
    try {
      known = [...ipLink().matchAll(/^\d+:\s+([^:@\s]+)/gm)].map((m) => m[1]).join(', ');
    } catch {
      // the listing is only a hint
    }
    throw new UsageError(`${flag}: no network interface named '${name}' in ${where}${known ? ` (interfaces there: ${known})` : ''}`);
  }
  const m = out.match(/^(\d+):/);
  if (!m) throw new UsageError(`${flag}: cannot read the ifindex of '${name}' in ${where}`);
  return Number(m[1]);
}

/** Namespace inode → a printable name: "" for nettrace's own namespace, the /var/run/netns name
 * when there is one, else "netns:<inode>". */
export function netnsLabel(inode: number): string {
  if (!inode || inode === currentNetns().inode) return '';
  try {
    for (const name of readdirSync(RUN_DIR)) if (statSync(`${RUN_DIR}/${name}`).ino === inode) return name;
  } catch {
    // no named namespaces
  }
  return `netns:${inode}`;
}
