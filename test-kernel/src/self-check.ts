// The harness row of the matrix: proves the target can do what plugin checks rely on. In a VM: a
// tracefs kprobe on ip_rcv counts exactly the loopback packets sent, and module BTF is present
// exactly when kernels.json says so. On the live kernel: commands run and vmlinux BTF exists.
import type { Target } from './host.js';
import type { Cell } from './verify-gate.js';
import { isVm } from './vm.js';

const KPROBE_SCRIPT = [
  'cd /sys/kernel/tracing',
  'echo "p:tk_self ip_rcv" >> kprobe_events',
  'echo 1 > events/kprobes/tk_self/enable',
  'ping -q -c 2 -i 0.2 127.0.0.1 >/dev/null',
  'echo 0 > events/kprobes/tk_self/enable',
  'awk \'$1 == "tk_self" { print "hits", $2 }\' kprobe_profile',
  'echo "-:tk_self" >> kprobe_events',
].join(' && ');

export async function selfCheck(target: Target): Promise<Cell> {
  const problems: string[] = [];
  const btf = await target.exec('test -s /sys/kernel/btf/vmlinux && echo yes');
  if (btf.stdout.trim() !== 'yes') problems.push('no /sys/kernel/btf/vmlinux');
  if (isVm(target)) {
    const kp = await target.exec(KPROBE_SCRIPT);
    // Two echo requests and two replies over loopback: four ip_rcv calls, nothing else runs.
    if (kp.stdout.trim() !== 'hits 4')
      problems.push(`tracefs kprobe on ip_rcv: expected "hits 4", got ${JSON.stringify(kp.stdout.trim())} ${kp.stderr.trim()}`);
    const mod = await target.exec('modprobe tun && test -e /sys/kernel/btf/tun && echo btf || echo no-btf');
    const want = target.spec.facts.moduleBtf ? 'btf' : 'no-btf';
    if (mod.stdout.trim() !== want)
      problems.push(`module BTF for tun: expected ${want} (kernels.json), got ${JSON.stringify(mod.stdout.trim())} ${mod.stderr.trim()}`);
  }
  return problems.length === 0 ? { state: 'ok' } : { state: 'failed', detail: `kernel ${target.id}: ${problems.join('; ')}` };
}
