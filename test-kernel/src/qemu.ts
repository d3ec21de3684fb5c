// The qemu command line of a test VM, as a pure function so its shape is unit-tested.
// q35 with no default devices; the ELF vmlinux through PVH (no decompressor in the guest); the host
// root as a read-only 9p export and the run's share as a read-write one; one virtio-serial port
// (qemu connects to our socket) for the exec channel; isa-debug-exit for init's status; two
// virtio-net NICs on one qemu hub (see virtioPairArgs).

export type Accel = 'tcg' | 'kvm';

export interface QemuConfig {
  accel: Accel;
  vmlinux: string;
  initramfs: string;
  memoryMb: number;
  cpus: number;
  /** Host directory exported read-write as tag tkshare. */
  share: string;
  /** Unix socket the host listens on; qemu connects to it as the agent port's backend. */
  socket: string;
  /** tk.* settings for guest/init. */
  guest: { kroot: string; share: string; agent: string; path: string; expose: string[] };
}

/** Host directories the guest's own tmpfs /tmp and /run would hide (guest/init binds them back). */
export function hiddenInGuest(dirs: readonly string[]): string[] {
  const hidden = dirs.filter((d) => /^\/(tmp|run)\//.test(`${d}/`) && d !== '/tmp' && d !== '/run');
  return [...new Set(hidden)].filter((d) => !hidden.some((o) => o !== d && d.startsWith(`${o}/`)));
}

/** Kernel command line values are space-separated and unquoted: refuse what would split. */
function plain(name: string, value: string): string {
  if (!value || /[\s"]/.test(value)) {
    throw new Error(
      `${name} '${value}' cannot go on the kernel command line (empty, or has spaces or quotes): move the checkout or TK_WORK to a plain path`,
    );
  }
  return value;
}

function virtfsPath(p: string): string {
  // qemu's option parser splits on commas; a doubled comma is a literal one.
  return p.replace(/,/g, ',,');
}

export function kernelCmdline(c: QemuConfig): string {
  return [
    'console=ttyS0',
    // Stop instead of rebooting on a panic (-no-reboot turns the reset into a qemu exit).
    'panic=-1',
    'oops=panic',
    'quiet',
    'loglevel=4',
    // Under TCG the mitigations only cost time, and TSC calibration is noisy.
    'mitigations=off',
    'tsc=reliable',
    `tk.kroot=${plain('kernel tree', c.guest.kroot)}`,
    `tk.share=${plain('share', c.guest.share)}`,
    `tk.agent=${plain('agent', c.guest.agent)}`,
    `tk.path=${plain('PATH', c.guest.path)}`,
    ...(c.guest.expose.length > 0
      ? [`tk.expose=${c.guest.expose.map((d) => plain('directory', d.includes(',') ? ' ' : d)).join(',')}`]
      : []),
  ].join(' ');
}

export function qemuArgs(c: QemuConfig): string[] {
  const cpu = c.accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg,thread=multi,tb-size=256', '-cpu', 'max'];
  return [
    '-nodefaults',
    '-no-user-config',
    '-machine',
    'q35',
    ...cpu,
    '-m',
    String(c.memoryMb),
    '-smp',
    String(c.cpus),
    '-display',
    'none',
    '-serial',
    'stdio',
    '-no-reboot',
    '-device',
    'isa-debug-exit,iobase=0xf4,iosize=0x04',
    '-kernel',
    c.vmlinux,
    '-initrd',
    c.initramfs,
    '-append',
    kernelCmdline(c),
    '-virtfs',
    'local,path=/,mount_tag=tkroot,security_model=none,readonly=on,multidevs=remap,id=tkroot',
    '-virtfs',
    `local,path=${virtfsPath(c.share)},mount_tag=tkshare,security_model=none,id=tkshare`,
    '-device',
    'virtio-serial-pci',
    '-chardev',
    `socket,id=tkagent,path=${virtfsPath(c.socket)}`,
    '-device',
    'virtserialport,chardev=tkagent,name=tk.agent',
    ...virtioPairArgs(),
  ];
}

/** Fixed MACs of the two hub-joined NICs, in PCI order (tk-virtio-pair finds the NICs by them). */
export const VIRTIO_PAIR_MACS = ['02:00:00:74:6b:01', '02:00:00:74:6b:02'] as const;

/** Two virtio-net NICs whose only peer is a qemu hub joining them to each other: a frame one sends
 * arrives at the other and nowhere else (no user, tap or socket backend: it never leaves the qemu
 * process). qemu warns "hub 0 is not connected to host network" at start, which is the point. The
 * NICs stay down, carrying nothing, until a test brings them up (guest/bin/tk-virtio-pair). */
export function virtioPairArgs(): string[] {
  return VIRTIO_PAIR_MACS.flatMap((mac, i) => [
    '-netdev',
    `hubport,id=tkvnet${i},hubid=0`,
    '-device',
    `virtio-net-pci,netdev=tkvnet${i},mac=${mac}`,
  ]);
}

/** isa-debug-exit makes qemu exit with (status << 1) | 1; init writes status+1 so 0 stays distinct. */
export function guestStatus(qemuExit: number | null): number | undefined {
  if (qemuExit === null || qemuExit < 3 || (qemuExit & 1) === 0) return undefined;
  return (qemuExit >> 1) - 1;
}
