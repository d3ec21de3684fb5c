// The kprobe smoke check: runs fixtures/kprobe-smoke with `nettrace run --plugin` inside a VM,
// generates known traffic once every program is attached (the JSON header is printed after
// attach), stops it with SIGTERM (a background job of a non-interactive shell ignores SIGINT) and
// returns the final counters, which must equal expectedSmokeCounts() exactly.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildFixture } from './fixture.js';
import { type Cell, cliBin } from './verify-gate.js';
import type { Vm } from './vm.js';

export interface SmokeCounts {
  kp_ip_rcv: number;
  fe_tun_xmit: number;
  kp_tun_xmit: number;
  fe_tun_dev_ok: number;
  kp_tun_dev_ok: number;
  tun_flags: number;
  tun_numqueues: number;
}

export interface SmokeTraffic {
  /** Echo requests sent into a tun device: one tun_net_xmit each. */
  tunPackets: number;
  /** Loopback pings: two ip_rcv each (request and reply). */
  loopbackPings: number;
}

export type SmokeResult =
  | { ran: true; counts: SmokeCounts; tunRead: number; stderr: string }
  | { ran: false; exitCode: number; stderr: string };

const IFF_TUN = 0x0001;
const IFF_NO_PI = 0x1000;

/** What the counters must be for this traffic, exactly. */
export function expectedSmokeCounts(t: SmokeTraffic): SmokeCounts {
  return {
    kp_ip_rcv: 2 * t.loopbackPings,
    fe_tun_xmit: t.tunPackets,
    kp_tun_xmit: t.tunPackets,
    fe_tun_dev_ok: t.tunPackets,
    kp_tun_dev_ok: t.tunPackets,
    tun_flags: IFF_TUN | IFF_NO_PI,
    tun_numqueues: 1,
  };
}

export async function runSmoke(vm: Vm, traffic: SmokeTraffic): Promise<SmokeResult> {
  if (!existsSync(cliBin)) throw new Error(`${cliBin} is missing: run \`npm run build\` first`);
  const dir = await buildFixture('kprobe-smoke');
  const out = path.join(vm.shareDir, 'smoke.jsonl');
  const err = path.join(vm.shareDir, 'smoke.err');
  const script = [
    // -T bounds the run if the stop below never arrives.
    `${process.execPath} ${cliBin} run --plugin ${dir} kprobe-smoke -o json -T 300 > ${out} 2> ${err} &`,
    'pid=$!',
    'i=0',
    // The header line is written once every program is attached.
    `until grep -q '"type":"header"' ${out}; do`,
    '  kill -0 $pid 2>/dev/null || { wait $pid; echo "nettrace-exit $?"; exit 0; }',
    '  i=$((i + 1)); [ $i -le 1200 ] || { kill -9 $pid; echo "nettrace did not attach within 120 s" >&2; exit 1; }',
    '  sleep 0.1',
    'done',
    `tk-tun-traffic tksmoke0 10.230.0 ${traffic.tunPackets}`,
    `ping -q -n -c ${traffic.loopbackPings} -i 0.2 127.0.0.1 >/dev/null`,
    'kill -TERM $pid',
    'wait $pid',
    'echo "nettrace-exit $?"',
  ].join('\n');
  try {
    const r = await vm.exec(script, { timeoutMs: 240_000 });
    const stderr = existsSync(err) ? readFileSync(err, 'utf8') : '';
    const exit = /nettrace-exit (\d+)/.exec(r.stdout);
    if (r.code !== 0 || !exit)
      throw new Error(`kprobe smoke script failed (exit ${r.code}):\n${r.stderr}${r.stdout}\nnettrace stderr:\n${stderr}`);
    const lines = (existsSync(out) ? readFileSync(out, 'utf8') : '').split('\n').filter((l) => l.startsWith('{'));
    const final = lines.map((l) => JSON.parse(l) as { type: string; counts?: SmokeCounts }).find((l) => l.type === 'final');
    if (!final) return { ran: false, exitCode: Number(exit[1]), stderr };
    if (!final.counts) throw new Error(`kprobe-smoke final record has no counts: ${JSON.stringify(final)}`);
    const tunRead = Number(/packets (\d+)/.exec(r.stdout)?.[1] ?? Number.NaN);
    return { ran: true, counts: final.counts, tunRead, stderr };
  } finally {
    rmSync(out, { force: true });
    rmSync(err, { force: true });
  }
}

/** The matrix cell: events verified when every counter is exact; n/a only where kernels.json
 * says the kernel cannot do fentry on module functions. */
export async function smokeCell(vm: Vm, traffic: SmokeTraffic = { tunPackets: 5, loopbackPings: 3 }): Promise<Cell> {
  const r = await runSmoke(vm, traffic);
  if (!r.ran) {
    const reason = r.stderr.trim().split('\n').slice(0, 4).join(' ');
    if (!vm.spec.facts.fentryOnModules) return { state: 'n/a', detail: reason };
    return {
      state: 'failed',
      detail: `kernel ${vm.id}: kprobe-smoke did not run (exit ${r.exitCode}) although kernels.json says fentry on modules works here:\n${r.stderr.trim()}`,
    };
  }
  const want = expectedSmokeCounts(traffic);
  const wrong = (Object.keys(want) as (keyof SmokeCounts)[]).filter((k) => r.counts[k] !== want[k]);
  if (wrong.length === 0) return { state: 'events verified' };
  return {
    state: 'failed',
    detail: `kernel ${vm.id}: kprobe-smoke counters differ: ${wrong.map((k) => `${k}=${r.counts[k]} (expected ${want[k]})`).join(', ')}`,
  };
}
