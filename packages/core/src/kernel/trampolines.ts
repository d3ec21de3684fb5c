// Whether an attached fentry/fexit program will really run. The kernel arms one by installing a
// direct call to its BPF trampoline at the function's ftrace site, which tracing's
// enabled_functions lists with the flag D. Some kernels link the program without ever arming it
// (Debian's 6.12 on kvm's irqfd_wakeup, see test-kernel/fixtures/kvm-smoke/README.md): such a
// program would count nothing while the run looks healthy, so the runner checks and falls back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tracefsRoot } from './features.js';

/** Functions with a direct call (flag D) in an enabled_functions listing, e.g.
 * `tun_net_xmit [tun] (1) R   D   M \ttramp: ...` or (5.10) `ip_rcv (1) R I D\ttramp: ...`. */
export function parseDirectCalls(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^(\S+)(?: \[[^\]]+\])? \(\d+\)((?: +[A-Z])*)/.exec(line);
    if (m?.[2]?.split(/ +/).includes('D')) out.add(m[1] as string);
  }
  return out;
}

/** The armed direct calls of the running kernel, or undefined when tracing cannot tell (no
 * tracefs, no dynamic ftrace): then nothing can be checked, and nothing is rejected. */
export function directCallFunctions(): Set<string> | undefined {
  try {
    return parseDirectCalls(readFileSync(join(tracefsRoot(), 'enabled_functions'), 'utf8'));
  } catch {
    return undefined;
  }
}
