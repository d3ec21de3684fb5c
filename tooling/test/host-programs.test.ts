// The guard against a test (or the runtime, the build, a guest helper) that starts a program setup
// never installs: every program the code starts must be declared in packages/core/host-programs.json
// with its Debian package, and every declared program must still be started somewhere.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/paths.mjs';
import { shellPrograms, sourcePrograms, spawnedPrograms } from '../src/spawned-programs.mjs';

interface Entry {
  package: string | null;
  use: string[];
  indirect?: string;
}
const declared = (JSON.parse(readFileSync(join(repoRoot, 'packages/core/host-programs.json'), 'utf8')) as { programs: Record<string, Entry> })
  .programs;

describe('host programs', () => {
  const spawned = spawnedPrograms(repoRoot);

  it('every program the code, tests, tooling and guest helpers start is declared with its package', () => {
    const undeclared = [...spawned.entries()]
      .filter(([name]) => !(name in declared))
      .map(([name, files]) => `${name} (started in ${[...files].join(', ')})`);
    expect(undeclared, 'add them to packages/core/host-programs.json with their Debian package').toEqual([]);
  });

  it('every declared program is still started somewhere (no stale entries)', () => {
    const stale = Object.entries(declared)
      .filter(([name, e]) => !e.indirect && !spawned.has(name))
      .map(([name]) => name);
    expect(stale).toEqual([]);
  });

  it('each entry names a package (or what provides it) and a use', () => {
    for (const [name, e] of Object.entries(declared)) {
      expect(e.use.length, name).toBeGreaterThan(0);
      expect(e.package === null ? (e as { provided?: string }).provided : e.package, name).toBeTruthy();
    }
  });

  // The guard itself must be able to fail: each calling form is recognised.
  it.each([
    ["execFileSync('nft', ['-f', '-'])", 'nft'],
    ["net.b.exec('conntrack', ['-L'])", 'conntrack'],
    ["sh('tc', ['qdisc', 'show'])", 'tc'],
    ["spawn('qemu-system-x86_64', args)", 'qemu-system-x86_64'],
    ["await run(['dpkg-deb', '-x', deb, root])", 'dpkg-deb'],
    ["vm.exec('modprobe dummy && iperf3 -c 10.0.0.2 | grep -q sender')", 'iperf3'],
    ['const script = [\n  `socat - TCP:${addr}`,\n  \'wait $pid\',\n]', 'socat'],
    ["const tool = opts.pahole ?? 'pahole'; // spawns: pahole", 'pahole'],
    ["await run(['sh', '-c', 'find . -print | cpio -o -H newc'], { cwd })", 'cpio'],
  ])('finds the program in %s', (code, program) => {
    expect([...sourcePrograms(code)]).toContain(program);
  });

  it('reads command position in shell scripts, not arguments, strings or functions', () => {
    const found = shellPrograms(
      [
        'f() { echo "ping is only text here"; }',
        'x=$(ip -n "$ns" -o link | awk \'{print $2}\')',
        'if ! timeout -k 5 10 ncat -l 5201 >/dev/null; then f; fi',
        'ip netns exec "$ns" ss -Hltn "sport = :5201" && i=$((i + 1))',
        'packages=(clang-19 notaprogram)',
        "echo 'tcpdump -i any' # tshark in a comment",
        'case "$1" in',
        'on) mkdir -p x ;;',
        'a|b) mount -t tracefs nodev x ;;',
        '*) die usage ;;',
        'esac',
      ].join('\n'),
    );
    expect([...found].sort()).toEqual(['awk', 'ip', 'mkdir', 'mount', 'ncat', 'ss', 'timeout']);
  });
});
