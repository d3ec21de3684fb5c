// Runs one plugin along its run plan (plan.ts): open, configure and arm the channel, load, attach,
// then stream events and/or report on an interval until stopped, print the final report after
// detaching, and close everything. The steps live in their own modules; this file joins them.

import type { BpfObject } from '../bpf/object.js';
import type { WakeupPolicy } from '../bpf/ringbuf.js';
import { KernelSymbols, kernelSymbols, refreshKernelSymbols, useKernelSymbols } from '../kernel/ksyms.js';
import { directCallFunctions } from '../kernel/trampolines.js';
import { applyConfig, recordConfig } from '../plugin/configure.js';
import type { Plugin } from '../plugin/contract.js';
import { activeHooks } from '../plugin/hooks.js';
import { degradedNotes, type HookPlan, planHooks, unarmedTrampolines } from '../plugin/planner.js';
import { openChannel, type PreparedChannel, prepareChannel } from './channel.js';
import { Period, runContext } from './context.js';
import { reportUntilStopped } from './loop.js';
import { watchModules } from './module-watch.js';
import { attachPlanOrRefuse, loadForPlan, openForPlan } from './open.js';
import { cannotRunHere, planRun, type RunPlan } from './plan.js';
import { createSink, type ReportRecord, type RunIo, writers } from './sinks/sink.js';
import { streamEvents } from './stream.js';

export interface RunControl extends RunIo {
  /** Stops the run (the CLI wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal;
  /** Called once every program is attached (tests generate traffic from here). */
  onAttached?: () => void | Promise<void>;
  /** Every report as the sink got it (`nettrace serve` keeps the latest for its scrapes). */
  onReport?: (record: ReportRecord) => void;
  /** Every event row of a streaming plugin as the sink got it (`nettrace serve` sends them as OTLP logs). */
  onEvent?: (row: Record<string, unknown>) => void;
}

export interface RunSummary {
  plan: HookPlan;
  events: number;
  /** Records the BPF side could not reserve (ring full), from the ring's `<ring>_lost` counter. */
  lost: number;
  /** The wake-up policy the event stream used (undefined for report-only plugins). */
  wakeup?: WakeupPolicy;
  reports: number;
  /** Event channel of a streaming plugin. */
  channel?: 'ring' | 'perf';
  /** Program runs the kernel skipped (recursion protection), summed over the attached programs. */
  missedRuns: number;
  exitCode: number;
}

/**
 * Runs `plugin` with its parsed option `values`. `plan` is the one planRun() made for them (the
 * CLI plans before importing the plugin); by default it is made here, the same way.
 */
export async function runPlugin(
  plugin: Plugin,
  values: Record<string, unknown>,
  control: RunControl = {},
  planned: RunPlan = planRun(plugin, values),
): Promise<RunSummary> {
  if (planned.plugin !== plugin.id) throw new Error(`runPlugin: the plan is for ${planned.plugin}, not ${plugin.id}`);
  const out = writers(control);
  const output = plugin.output;
  const sink = createSink(planned.options.output, plugin.id, out, output.kind === 'stream' ? output.columns : undefined);
  const stacks = output.kind === 'stream' && 'stacks' in plugin.contract.maps;
  // Started before the load: a pool thread reads and parses kallsyms while this one loads and
  // attaches. Only where that read can serve the run (readAheadServes), or it would be read twice.
  const ahead = stacks && readAheadServes(planned.hooks) ? KernelSymbols.loadAsync().catch(() => undefined) : undefined;
  const { obj, prepared, channel, plan } = loadAndAttach(plugin, values, planned, out.log);
  const summary: RunSummary = { plan: plan.hooks, events: 0, lost: 0, reports: 0, missedRuns: 0, exitCode: 0 };
  try {
    summary.channel = prepared?.kind;
    summary.wakeup = prepared?.wakeup;
    const period = new Period(plan.options.cumulative);
    const context = (final: boolean) => runContext(plugin, values, obj, plan, period, final);
    // A streaming plugin with stacks symbolises its first event with kallsyms read by now (half a
    // second on a busy host): before tracing starts, not while a drop storm fills the ring.
    if (stacks) await symbolsForStacks(obj, plan.hooks, ahead);
    const degraded = degradedNotes(plan.hooks);
    sink.start({ plan: plan.hooks, values, degraded, notes: plugin.notes?.(values as never) ?? [] });
    out.log('Tracing... Hit Ctrl-C to end.');
    if (plan.options.exitAfterAttach) return summary;

    if (channel && output.kind === 'stream')
      streamEvents(channel, output, sink, summary, () => context(false), control.onEvent, out.backlog);
    const missedRuns = missedRunsOf(obj, plan.hooks);
    const unloaded = watchModules(plan.hooks, out.log);
    // The loop starts before onAttached's traffic, so interval reports cover it as in a real run.
    const loop = reportUntilStopped({
      interval: plan.options.interval ?? plugin.defaultInterval ?? 0,
      duration: plan.options.duration,
      signal: control.signal,
      object: obj,
      channel,
      report: (final) => {
        const report = output.kind === 'report' ? output.collect(context(final)) : output.collect?.(context(final));
        summary.lost = channel?.lost() ?? 0;
        summary.missedRuns = missedRuns();
        summary.reports++;
        const { events, lost, missedRuns: missed } = summary;
        const record = {
          report,
          final,
          cumulative: period.cumulative,
          periodSeconds: period.seconds(final),
          events,
          lost,
          missedRuns: missed,
          degraded: [...degraded, ...unloaded()],
          streaming: !!channel,
        };
        sink.report(record);
        control.onReport?.(record);
        if (!final) period.next();
      },
    });
    await control.onAttached?.();
    await loop;
    reportLoss(summary, prepared, plugin.id, plan.options.failOnLoss, out.log);
    return summary;
  } finally {
    obj.close();
  }
}

/**
 * Opens the object, configures it, arms the event channel, loads it, opens the channel's reader
 * and attaches. The reader comes first: a perf event array has no buffer in a CPU's slot until it
 * is opened, and an event emitted there before would be lost (-ENOENT). An fentry/fexit
 * the kernel cannot attach (ENOTSUPP) or attached but never armed (kernel/trampolines.ts) is refused and everything is done
 * again with the next alternative of its hook, so a silent program never stands in for a working
 * kprobe. Returns the plan as finally attached.
 */
function loadAndAttach(plugin: Plugin, values: Record<string, unknown>, first: RunPlan, log: (line: string) => void) {
  const refused = new Map<string, string>();
  let plan = first;
  for (;;) {
    const obj = openForPlan(plugin.object.pathname, plan.hooks, { name: plugin.id, btf: plan.btf });
    try {
      applyConfig(obj, recordConfig(plugin, values, plan.hooks));
      const output = plugin.output;
      const prepared =
        output.kind === 'stream' && plan.channel
          ? prepareChannel(obj, output.ring ?? 'events', output.layout.size, plan.channel, log)
          : undefined;
      loadForPlan(obj, plan.hooks, plan.btf);
      const channel = prepared && openChannel(obj, prepared);
      const unattached = attachPlanOrRefuse(obj, plan.hooks);
      const unarmed = unattached.length ? unattached : unarmedTrampolines(plan.hooks, directCallFunctions());
      if (!unarmed.length) {
        refreshKernelSymbols(); // this run's programs are new symbols (stack frames)
        return { obj, prepared, channel, plan };
      }
      for (const u of unarmed) refused.set(u.program, u.reason);
    } catch (err) {
      obj.close();
      plan.btf.release(); // when it failed before the load, which frees the parsed BTF
      throw err;
    }
    obj.close();
    plan = { ...plan, hooks: replan(plugin, values, plan, refused) };
  }
}

/** The hooks planned again without the refused programs; a hook left without any is an error. */
function replan(plugin: Plugin, values: Record<string, unknown>, plan: RunPlan, refused: ReadonlyMap<string, string>): HookPlan {
  const hooks = planHooks(activeHooks(plugin.hooks, values), plan.btf, refused);
  if (hooks.missing.length) {
    plan.btf.release();
    throw cannotRunHere(plugin.id, hooks);
  }
  return hooks;
}

/** Attach kinds that add no kernel text of their own besides the program (fentry/fexit add a
 * trampoline, an optimised kprobe an instruction slot: symbols only a read after attach has). */
const PROGRAM_ONLY_KINDS = new Set(['tracepoint', 'raw_tp', 'tp_btf']);

/** Whether kallsyms read before the load holds every symbol a stack of these hooks can show, once
 * the run's own programs are added (BpfObject.programSymbols). */
const readAheadServes = (hooks: HookPlan) => hooks.hooks.every((h) => !h.chosen || PROGRAM_ONLY_KINDS.has(h.chosen.kind));

/** Makes kernelSymbols() the table read ahead plus this run's programs when it serves the hooks
 * as finally attached; otherwise reads kallsyms now. */
async function symbolsForStacks(obj: BpfObject, hooks: HookPlan, ahead: Promise<KernelSymbols | undefined> | undefined) {
  const symbols = await ahead;
  if (!symbols || !readAheadServes(hooks)) return void kernelSymbols().length;
  symbols.addFunctions(hooks.hooks.flatMap((h) => (h.chosen ? obj.programSymbols(h.chosen.program) : [])));
  useKernelSymbols(symbols);
}

/** Program runs the kernel skipped, summed over the attached programs. */
function missedRunsOf(obj: BpfObject, plan: HookPlan): () => number {
  const attached = plan.hooks.flatMap((h) => (h.chosen ? [h.chosen.program] : []));
  return () => attached.reduce((n, p) => n + obj.programStats(p).recursionMisses, 0);
}

/** Loss is never silent: a stderr line at exit, and exit 1 with --fail-on-loss. */
function reportLoss(
  summary: RunSummary,
  channel: PreparedChannel | undefined,
  id: string,
  failOnLoss: boolean,
  log: (line: string) => void,
): void {
  if (summary.lost <= 0) return;
  log(
    `${id}: ${summary.lost} of ${summary.events + summary.lost} events lost (ring buffer full)` +
      `${channel?.wakeup === 'adaptive' ? '; try --wakeup hybrid' : ''}; filter more, or use a larger ring`,
  );
  if (failOnLoss) summary.exitCode = 1;
}
