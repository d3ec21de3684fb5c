// Open vSwitch for the guest: Debian's openvswitch-switch and openvswitch-common (daemons and
// control programs) unpacked into .work/ovs/ with the shared libraries the host lacks, and one
// wrapper per program in .work/bin/ (on the guest's PATH). Nothing is installed on the host and no
// OVS program runs there: the wrappers live on the guest's PATH only, and the daemons keep their
// database, sockets and pid files on the guest's own tmpfs (/run/openvswitch).
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AptWorld } from './apt.js';
import { loadMatrix } from './matrix.js';
import { processTag, work } from './paths.js';
import { run } from './proc.js';

/** The packages that hold the programs; their library dependencies are resolved from them. */
const OVS_PACKAGES = ['openvswitch-switch', 'openvswitch-common'];

/** Program name → its path in the unpacked tree. */
export const OVS_PROGRAMS: Record<string, string> = {
  'ovs-dpctl': 'usr/bin/ovs-dpctl',
  'ovs-vsctl': 'usr/bin/ovs-vsctl',
  'ovs-vswitchd': 'usr/lib/openvswitch-switch/ovs-vswitchd',
  'ovsdb-server': 'usr/sbin/ovsdb-server',
  'ovsdb-tool': 'usr/bin/ovsdb-tool',
  'ovs-ofctl': 'usr/bin/ovs-ofctl',
  'ovs-appctl': 'usr/bin/ovs-appctl',
};

/** libc must be the host's own: the guest runs the host's dynamic loader. */
const NEVER_UNPACKED = new Set(['libc6']);

export const ovsRoot = path.join(work.ovs, 'root');
const ovsLibDir = (root: string) => path.join(root, 'usr/lib/x86_64-linux-gnu');
const stampFile = path.join(work.ovs, '.done');

/** Whether dpkg says the host has the package installed (read only: the host is never changed). */
async function hostHas(pkg: string): Promise<boolean> {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
  const r = await run(['dpkg-query', '-W', '-f', '${db:Status-Status}', pkg], { allowFailure: true });
  return r.code === 0 && r.stdout.trim() === 'installed';
}

/** The shared-library packages (lib*) a package depends on, first choice of each alternative. */
export function libraryDepends(aptCacheDepends: string): string[] {
  const libs: string[] = [];
  let alternative = false;
  for (const line of aptCacheDepends.split('\n')) {
    const m = /^\s*(\|)?(?:Pre)?Depends:\s*(\S+)/.exec(line);
    if (!m) continue;
    const name = m[2] as string;
    // "|Depends: a" then "Depends: b" means a or b: b is only a fallback for a.
    if (!alternative && /^lib[\w.+-]+$/.test(name) && !NEVER_UNPACKED.has(name)) libs.push(name);
    alternative = m[1] === '|';
  }
  return libs;
}

/**
 * The OVS packages plus every library package they need that the host lacks, following
 * dependencies only through packages the host lacks (an installed one brings its own).
 */
async function resolvePackages(apt: AptWorld): Promise<string[]> {
  const wanted = [...OVS_PACKAGES];
  const seen = new Set(wanted);
  for (let i = 0; i < wanted.length; i++) {
    const deps = await apt.cache([
      'depends',
      '--no-recommends',
      '--no-suggests',
      '--no-conflicts',
      '--no-breaks',
      '--no-replaces',
      '--no-enhances',
      wanted[i] as string,
    ]);
    for (const lib of libraryDepends(deps.stdout)) {
      if (seen.has(lib)) continue;
      seen.add(lib);
      if (!(await hostHas(lib))) wanted.push(lib);
    }
  }
  return wanted;
}

const programsPresent = (root: string) => Object.values(OVS_PROGRAMS).every((p) => existsSync(path.join(root, p)));

/** Unpacks the OVS programs once (again when a program is missing, e.g. a cache from before the daemons). */
export async function fetchOvs(): Promise<string> {
  if (existsSync(stampFile) && programsPresent(ovsRoot)) return ovsRoot;
  const release = 'bookworm';
  const suites = loadMatrix().kernels.find((k) => k.release === release)?.suites ?? [release];
  const apt = new AptWorld(release, suites);
  const tmp = `${work.ovs}.tmp-${processTag}`;
  rmSync(tmp, { recursive: true, force: true });
  const unpacked: string[] = [];
  for (const pkg of await resolvePackages(apt)) {
    // The candidate version of each package; bookworm-backports is never the candidate (priority 100).
    const policy = await apt.cache(['policy', pkg]);
    const version = /Candidate:\s*(\S+)/.exec(policy.stdout)?.[1];
    if (!version || version === '(none)') throw new Error(`${pkg} is not in ${release}: cannot provide Open vSwitch to the guest`);
    const deb = await apt.download(pkg, version, path.join(tmp, 'debs'));
    await run(['dpkg-deb', '-x', deb, path.join(tmp, 'root')]);
    unpacked.push(`${pkg}=${version}`);
  }
  rmSync(path.join(tmp, 'debs'), { recursive: true, force: true });
  const root = path.join(tmp, 'root');
  const env = { ...process.env, LD_LIBRARY_PATH: ovsLibDir(root) };
  for (const [name, rel] of Object.entries(OVS_PROGRAMS)) {
    if (!existsSync(path.join(root, rel))) throw new Error(`${name} is not at ${rel} in ${OVS_PACKAGES.join(' ')}`);
    const ldd = await run(['ldd', path.join(root, rel)], { env });
    const missing = ldd.stdout.split('\n').filter((l) => l.includes('not found'));
    if (missing.length > 0) throw new Error(`${name} still lacks libraries after unpacking ${unpacked.join(' ')}:\n${missing.join('\n')}`);
  }
  rmSync(work.ovs, { recursive: true, force: true });
  renameSync(tmp, work.ovs);
  writeFileSync(stampFile, `${unpacked.join('\n')}\n`);
  return ovsRoot;
}

/**
 * .work/bin/NAME for each program: the unpacked binary with its unpacked libraries, and the schema
 * directory of the unpacked tree (ovsdb-tool's default schema). Run directory, database directory
 * and logs stay the programs' defaults or what tk-ovs-bridge passes them.
 */
export function writeOvsWrappers(): void {
  mkdirSync(work.bin, { recursive: true });
  for (const [name, rel] of Object.entries(OVS_PROGRAMS)) {
    const wrapper = path.join(work.bin, name);
    writeFileSync(
      wrapper,
      `#!/bin/sh\n# Written by test-kernel/src/ovs-tools.ts: Debian's ${name}, unpacked, never installed.\n` +
        `LD_LIBRARY_PATH=${ovsLibDir(ovsRoot)} OVS_PKGDATADIR=\${OVS_PKGDATADIR:-${path.join(ovsRoot, 'usr/share/openvswitch')}} ` +
        `exec ${path.join(ovsRoot, rel)} "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
  }
}
