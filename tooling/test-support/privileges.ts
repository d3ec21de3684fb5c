// The command prefix that runs a program with only the given capabilities (e.g. ['bpf', 'perfmon']):
// uid 0 stays, but root's automatic capabilities are off (securebits noroot, locked), so the kernel
// checks exactly these. Used on the live kernel (packages/cli/test/privileges.test.ts) and inside
// the test kernels (k.run's `wrapper`).
// spawns: setpriv
export function onlyCapabilities(caps: readonly string[]): string[] {
  const plus = caps.map((c) => `,+${c}`).join('');
  const ambient = caps.length ? [`--ambient-caps=${caps.map((c) => `+${c}`).join(',')}`] : [];
  return ['setpriv', '--securebits=+noroot,+noroot_locked', `--inh-caps=-all${plus}`, ...ambient, `--bounding-set=-all${plus}`];
}
