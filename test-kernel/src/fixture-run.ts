// Runs a plugin with `nettrace run --plugin` on a target (a VM or the live host) around known
// traffic: starts it in JSON mode, waits for the header line (written once every program is
// attached), runs the traffic script, stops nettrace with SIGTERM (a background job of a
// non-interactive shell ignores SIGINT) and returns its JSON records (header and final apart). Every fixture
// check (kprobe-smoke, the hook ladder, ovs/virtio/vhost/kvm-smoke) goes through runAround().
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildFixture } from './fixture.js';
import type { Target } from './host.js';
import { cliBin } from './verify-gate.js';
import type { Vm } from './vm.js';

export interface AroundRun {
  /** Plugin directory given to --plugin; the plugin id follows it unless `id` is omitted. */
  pluginDir: string;
  id?: string;
  /** Extra `nettrace run` arguments (e.g. --btf FILE). */
  args?: string[];
  /** Environment of nettrace, e.g. { NETTRACE_AVOID: 'fexit' } to prove a later rung of a ladder. */
  env?: Record<string, string>;
  /** A command prefix nettrace runs under (e.g. setpriv with only some capabilities); it must exec it. */
  wrapper?: string[];
  /** Shell lines run before nettrace starts (e.g. devices its options name). */
  before?: string[];
  /** Shell lines run while nettrace starts (before the wait for its header). */
  setup?: string[];
  /** Shell lines run once every program is attached; their stdout is returned as trafficOutput. */
  traffic: string[];
  /** A directory at the same path for the target and this process (a VM's share). */
  workDir: string;
  /** Names the output files and the errors. */
  label: string;
}

export interface AroundResult {
  exitCode: number;
  header?: Record<string, unknown>;
  final?: Record<string, unknown>;
  /** Every JSON line, in order (header, events, interval and final reports). */
  records: Record<string, unknown>[];
  trafficOutput: string;
  stderr: string;
}

/** The hook plan a run's header shows: `kind:target` of each hook's chosen alternative, in order
 * (`none` for a missing optional hook). */
export function chosenRungs(r: AroundResult): string[] {
  const plan = (r.header?.plan ?? []) as { chosen: { kind: string; target: string } | null }[];
  return plan.map((p) => (p.chosen ? `${p.chosen.kind}:${p.chosen.target}` : 'none'));
}

export async function runAround(target: Target, run: AroundRun): Promise<AroundResult> {
  if (!existsSync(cliBin)) throw new Error(`${cliBin} is missing: run \`npm run build\` first`);
  const out = path.join(run.workDir, `${run.label}.jsonl`);
  const err = path.join(run.workDir, `${run.label}.err`);
  rmSync(out, { force: true });
  rmSync(err, { force: true });
  const args = [`--plugin ${run.pluginDir}`, run.id ?? '', ...(run.args ?? [])].filter(Boolean).join(' ');
  const script = [
    ...(run.before ?? []),
    // -T bounds the run if the stop below never arrives.
    `${Object.entries(run.env ?? {})
      .map(([k, v]) => `${k}='${v}' `)
      .join(
        '',
      )}${(run.wrapper ?? []).map((w) => `${w} `).join('')}${process.execPath} ${cliBin} run ${args} -o json -T 300 > ${out} 2> ${err} &`,
    'pid=$!',
    ...(run.setup ?? []),
    'i=0',
    `until grep -q '"type":"header"' ${out} 2>/dev/null; do`,
    '  kill -0 $pid 2>/dev/null || { wait $pid; echo "nettrace-exit $?"; exit 0; }',
    '  i=$((i + 1)); [ $i -le 1200 ] || { kill -9 $pid; echo "nettrace did not attach within 120 s" >&2; exit 1; }',
    '  sleep 0.1',
    'done',
    ...run.traffic,
    'kill -TERM $pid',
    'wait $pid',
    'echo "nettrace-exit $?"',
  ].join('\n');
  try {
    const r = await target.exec(script, { timeoutMs: 240_000 });
    const stderr = existsSync(err) ? readFileSync(err, 'utf8') : '';
    const exit = /nettrace-exit (\d+)/.exec(r.stdout);
    if (r.code !== 0 || !exit)
      throw new Error(`${run.label} script failed (exit ${r.code}):\n${r.stderr}${r.stdout}\nnettrace stderr:\n${stderr}`);
    const records = (existsSync(out) ? readFileSync(out, 'utf8') : '')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    return {
      exitCode: Number(exit[1]),
      header: records.find((l) => l.type === 'header'),
      final: records.find((l) => l.type === 'final'),
      records,
      trafficOutput: r.stdout,
      stderr,
    };
  } finally {
    rmSync(out, { force: true });
    rmSync(err, { force: true });
  }
}

export interface FixtureRun {
  /** Fixture directory name under test-kernel/fixtures (also its plugin id). */
  fixture: string;
  /** Shell lines run in the guest after attach; their stdout is returned as trafficOutput. */
  traffic: string[];
  /** Extra `nettrace run` arguments (e.g. --btf FILE). */
  args?: string[];
}

export type FixtureResult =
  | { ran: true; final: Record<string, unknown>; trafficOutput: string; stderr: string }
  | { ran: false; exitCode: number; stderr: string };

/** Builds test-kernel/fixtures/<fixture> and runs it in the VM around the traffic. */
export async function runFixture(vm: Vm, run: FixtureRun): Promise<FixtureResult> {
  const pluginDir = await buildFixture(run.fixture);
  const r = await runAround(vm, {
    pluginDir,
    id: run.fixture,
    args: run.args,
    traffic: run.traffic,
    workDir: vm.shareDir,
    label: run.fixture,
  });
  if (!r.final) return { ran: false, exitCode: r.exitCode, stderr: r.stderr };
  return { ran: true, final: r.final, trafficOutput: r.trafficOutput, stderr: r.stderr };
}
