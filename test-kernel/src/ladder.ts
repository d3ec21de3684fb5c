// The hook-ladder check: fixtures/hook-ladder declares hooks that each stop on a different rung of
// core's hook plan (fentry, kprobe, kprobe on a compiler clone, tracepoint, missing optional), and
// fixtures/hook-ladder-required a required hook that exists nowhere. These helpers run
// `nettrace info`, `nettrace doctor` and `nettrace run` on a target (a test VM or the live kernel)
// and return what they printed, parsed; the tests hold the expectations per kernel.
import { createLadderCounts, type LadderCounts } from '../fixtures/hook-ladder/src/hook_ladder.gen.js';
import { buildFixture } from './fixture.js';
import { runAround } from './fixture-run.js';
import type { Target } from './host.js';
import { cliBin } from './verify-gate.js';

/** The ICMP the rcv hook counts: between two addresses of 10.231.0.0/16 (bpf/hook_ladder.bpf.c). */
export const LADDER_SUBNET = '10.231.1';

export type { LadderCounts } from '../fixtures/hook-ladder/src/hook_ladder.gen.js';

/** `nettrace info -o json`'s plan entry (core's PlannedHook). */
export interface InfoHook {
  hook: string;
  optional: boolean;
  chosen?: { program: string; kind: string; target: string; module?: string; resolvedTarget: string };
  rejected: { alternative: { program: string; kind: string; target: string; module?: string }; reason: string }[];
}

/** `nettrace doctor -o json`'s per-plugin hook entry. */
export interface DoctorHook {
  hook: string;
  optional: boolean;
  chosen: { kind: string; target: string; resolved: string; module: string | null; program: string } | null;
  rejected: { kind: string; target: string; reason: string }[];
}

/** The run's JSON header plan entry (chosen.target is the symbol attached to). */
export interface HeaderHook {
  hook: string;
  optional: boolean;
  chosen: { kind: string; target: string; program: string } | null;
  rejected: { kind: string; target: string; reason: string }[];
}

export interface LadderInfo {
  id: string;
  status: string;
  plan: { hooks: InfoHook[]; missing: InfoHook[]; degraded: InfoHook[] };
}

export interface LadderDoctor {
  kernel: string;
  kprobes: boolean;
  fentry: boolean;
  fentry_reason: string | null;
  plugins: { id: string; status: string; detail: string; plan: string[]; hooks: DoctorHook[] }[];
}

export interface LadderRun {
  exitCode: number;
  header: { type: 'header'; plugin: string; kernel: string; plan: HeaderHook[] };
  final: { type: 'final'; degraded: string[]; counts: LadderCounts };
  /** nettrace's stderr. */
  stderr: string;
  /** The traffic script's stdout (helpers print what they measured). */
  traffic: string;
}

export interface LadderFixtures {
  ladder: string;
  required: string;
}

export async function buildLadderFixtures(): Promise<LadderFixtures> {
  return { ladder: await buildFixture('hook-ladder'), required: await buildFixture('hook-ladder-required') };
}

const cli = (args: string) => `${process.execPath} ${cliBin} ${args}`;

function parseJsonOut<T>(what: string, r: { code: number; stdout: string; stderr: string }): T {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stderr}${r.stdout}`);
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`${what} did not print one JSON object:\n${r.stdout}\n${r.stderr}`);
  }
}

export async function ladderInfo(target: Target, f: LadderFixtures): Promise<LadderInfo> {
  const cmd = cli(`info --plugin ${f.ladder} -o json`);
  return parseJsonOut<LadderInfo>(cmd, await target.exec(cmd, { timeoutMs: 120_000 }));
}

/** `nettrace doctor` for both fixtures (hook-ladder, hook-ladder-required). */
export async function ladderDoctor(target: Target, f: LadderFixtures): Promise<LadderDoctor> {
  const cmd = cli(`doctor --plugin ${f.ladder} --plugin ${f.required} hook-ladder hook-ladder-required -o json`);
  return parseJsonOut<LadderDoctor>(cmd, await target.exec(cmd, { timeoutMs: 120_000 }));
}

/** `nettrace run` in table mode up to attach (--exit-after-attach): stderr carries the DEGRADED line. */
export async function ladderTableAttach(target: Target, f: LadderFixtures) {
  return target.exec(cli(`run --plugin ${f.ladder} --exit-after-attach`), { timeoutMs: 120_000 });
}

/** `nettrace run` of the fixture whose required hook exists nowhere: must exit 1. */
export async function ladderRequired(target: Target, f: LadderFixtures) {
  return target.exec(cli(`run --plugin ${f.required} -o json -T 5`), { timeoutMs: 120_000 });
}

export interface LadderTraffic {
  /** Shell fragment run while nettrace starts (devices, namespaces: no IPv4 traffic). */
  setup?: string;
  /** Shell fragment run once every program is attached: the traffic the counters must show. */
  traffic: string;
}

/**
 * Runs hook-ladder with `-o json`, runs `t.traffic` once every program is attached (the header is
 * printed after attach), stops nettrace with SIGTERM and returns header and final record.
 * `workDir` must be at the same path for the target and this process (a VM's share).
 */
export async function runLadder(target: Target, f: LadderFixtures, workDir: string, t: LadderTraffic): Promise<LadderRun> {
  const r = await runAround(target, {
    pluginDir: f.ladder,
    setup: t.setup ? [t.setup] : [],
    traffic: [t.traffic],
    workDir,
    label: 'ladder',
  });
  const header = r.header as LadderRun['header'] | undefined;
  const final = r.final as LadderRun['final'] | undefined;
  if (!header || !final) throw new Error(`hook-ladder printed no header or final record (exit ${r.exitCode}):\n${r.stderr}`);
  return { exitCode: r.exitCode, header, final, stderr: r.stderr, traffic: r.trafficOutput };
}

/** Chosen rung per hook as `kind:symbol` (null when missing), from each of the three sources. */
export const rungsFromInfo = (i: LadderInfo) =>
  Object.fromEntries(i.plan.hooks.map((h) => [h.hook, h.chosen ? `${h.chosen.kind}:${h.chosen.resolvedTarget}` : null]));
export const rungsFromDoctor = (hooks: DoctorHook[]) =>
  Object.fromEntries(hooks.map((h) => [h.hook, h.chosen ? `${h.chosen.kind}:${h.chosen.resolved}` : null]));
export const rungsFromHeader = (plan: HeaderHook[]) =>
  Object.fromEntries(plan.map((h) => [h.hook, h.chosen ? `${h.chosen.kind}:${h.chosen.target}` : null]));

/** The counters a run must show when only `chosen` programs ran: `expected` for those, 0 for the rest. */
export function expectedLadderCounts(expected: Partial<LadderCounts>): LadderCounts {
  return { ...createLadderCounts(), ...expected };
}
