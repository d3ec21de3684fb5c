// Runs one plugin: plan hooks, open, configure, load, attach, report on an interval and/or stream
// events, print the final report on stop (duration, SIGINT, SIGTERM, abort), detach everything.

import { existsSync } from 'node:fs';
import { release } from 'node:os';
import type { BpfObject } from '../bpf/object.js';
import { DEFAULT_DRAIN_MS, defaultWakeupBytes, type RingBufferReader, type WakeupPolicy } from '../bpf/ringbuf.js';
import { KernelSupportError, UsageError } from '../errors.js';
import { hasRingBuffer, hasVmlinuxBtf, tracefsRoot, useExternalBtf } from '../kernel/features.js';
import { kernelEnum } from '../kernel/kernel-enums.js';
import { kernelSymbols, refreshKernelSymbols } from '../kernel/ksyms.js';
import { renderOpenMetrics } from '../output/openmetrics.js';
import { renderReportText, reportJson } from '../output/render.js';
import { StreamTable } from '../output/table.js';
import { applyConfig, recordConfig } from '../plugin/configure.js';
import { activeHooks, type Plugin, type RunContext } from '../plugin/contract.js';
import { describePlan, type HookPlan, planHooks } from '../plugin/planner.js';
import type { Report } from '../plugin/report.js';
import { explainLoadFailure } from './load-failure.js';
import { attachPlan, openForPlan } from './prepare.js';

export interface RunOptions {
  interval?: number;
  duration?: number;
  output?: 'table' | 'json' | 'openmetrics';
  btfPath?: string;
  exitAfterAttach?: boolean;
  failOnLoss?: boolean;
  /**
   * Ring-buffer wake-ups of a streaming plugin. Default: `hybrid` when the object has
   * `cfg_wakeup_bytes` (its BPF side submits with nt_event_submit()), else `adaptive`.
   */
  wakeup?: WakeupPolicy;
  /** Hybrid threshold in bytes (default: defaultWakeupBytes(ring size)). */
  wakeupBytes?: number;
  /** Hybrid drain interval in ms, the bound on event latency (default DEFAULT_DRAIN_MS). */
  drainMs?: number;
  /** Size of a streaming plugin's ring buffer (a power of 2, ≥ the page size; default: the object's). */
  ringBytes?: number;
  /** Stream through per-CPU perf buffers instead of the ring buffer (automatic on kernels
   * without BPF ring buffers). */
  perfBuffer?: boolean;
  /** Stops the run (the CLI wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal;
  write?: (line: string) => void;
  /** Writes one batch of event lines at once (default: write() per line, or one stdout write). */
  writeLines?: (lines: string[]) => void;
  log?: (line: string) => void;
  /** Called once every program is attached (tests generate traffic from here). */
  onAttached?: () => void | Promise<void>;
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

const stamp = () => new Date().toISOString().replace('T', ' ').slice(0, 19);

export async function runPlugin(plugin: Plugin, values: Record<string, unknown>, opts: RunOptions = {}): Promise<RunSummary> {
  const write = opts.write ?? ((l: string) => process.stdout.write(`${l}\n`));
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const json = opts.output === 'json';
  const openmetrics = opts.output === 'openmetrics';
  tracefsRoot(); // libbpf finds tracepoints through tracefs: mount it first if needed
  checkBtf(opts.btfPath);
  const plan = planHooks(activeHooks(plugin.hooks, values));
  if (plan.missing.length) {
    throw new KernelSupportError(
      `${plugin.id} cannot run on this kernel (${release()}):\n  ${describePlan({ ...plan, hooks: plan.missing }).join('\n  ')}`,
      'run `nettrace doctor` to see what this kernel supports; kprobe/fentry/module plugins run on hypervisor kernels that have them',
    );
  }
  const obj = openForPlan(plugin.object.pathname, plan, { name: plugin.id, btfPath: opts.btfPath });
  let ring: RingBufferReader | undefined;
  const summary: RunSummary = { plan, events: 0, lost: 0, reports: 0, missedRuns: 0, exitCode: 0 };
  try {
    applyConfig(obj, recordConfig(plugin, values, plan));
    const output = plugin.output;
    const perf = output.kind === 'stream' && usePerfBuffer(obj, output.ring ?? 'events', opts);
    if (output.kind === 'stream' && !perf) summary.wakeup = configureWakeup(obj, output.ring ?? 'events', opts, log);
    summary.channel = output.kind === 'stream' ? (perf ? 'perf' : 'ring') : undefined;
    try {
      obj.load();
    } catch (err) {
      throw explainLoadFailure(err, plan, opts.btfPath);
    }
    attachPlan(obj, plan);
    refreshKernelSymbols(); // this run's programs are new symbols (stack frames)

    const started = Date.now();
    let periodStart = started;
    const context = (final: boolean): RunContext<never> => ({
      options: values as never,
      object: obj,
      periodSeconds: (Date.now() - (final ? started : periodStart)) / 1000,
      final,
      symbols: kernelSymbols,
      kernelEnum: (name, fallback) => kernelEnum({ enumName: name, btfPath: opts.btfPath, tracepoint: fallback }),
      attached: (hook) => plan.hooks.some((h) => h.hook === hook && h.chosen),
    });
    const degradedNote = plan.degraded.map((d) => `${d.hook} missing: ${d.degrades ?? 'partial output'}`);
    if (json) {
      write(
        JSON.stringify({
          type: 'header',
          plugin: plugin.id,
          time: new Date().toISOString(),
          kernel: release(),
          plan: planJson(plan),
          options: optionsJson(values),
        }),
      );
    } else if (degradedNote.length) {
      log(`DEGRADED: ${degradedNote.join('; ')}`);
    }
    log('Tracing... Hit Ctrl-C to end.');
    if (opts.exitAfterAttach) return summary;

    if (output.kind === 'stream') {
      const ringName = output.ring ?? 'events';
      ring = perf
        ? obj.ringBuffer(`${ringName}_perf`, { channel: 'perf', lostFrom: ringName })
        : obj.ringBuffer(ringName, {
            wakeup: summary.wakeup,
            timerMs: summary.wakeup === 'hybrid' ? (opts.drainMs ?? DEFAULT_DRAIN_MS) : undefined,
          });
      const layout = output.layout;
      // Event lines go out once per batch (one stdout write), not once per event.
      const writeLines =
        opts.writeLines ??
        (opts.write
          ? (ls: string[]) => {
              for (const l of ls) write(l);
            }
          : (ls: string[]) => process.stdout.write(`${ls.join('\n')}\n`));
      const lines: string[] = [];
      const rows: Record<string, unknown>[] = [];
      const table = new StreamTable(output.columns);
      ring.on('batch', (batch) => {
        const ctx = context(false);
        lines.length = 0;
        rows.length = 0;
        for (let i = 0; i < batch.count; i++) {
          const row = output.row(layout.decode(batch.view, batch.offset(i)), ctx);
          summary.events++;
          if (!row) continue;
          if (json) lines.push(JSON.stringify({ type: 'event', plugin: plugin.id, ...row }));
          else rows.push(row);
        }
        if (!json && !openmetrics) lines.push(...table.lines(rows));
        if (lines.length) writeLines(lines);
        lines.length = 0;
      });
      ring.start();
    }

    const attached = plan.hooks.flatMap((h) => (h.chosen ? [h.chosen.program] : []));
    const missedRuns = () => attached.reduce((n, p) => n + obj.programStats(p).recursionMisses, 0);
    const emit = (report: Report | undefined, final: boolean) => {
      summary.lost = ring?.lost() ?? 0;
      summary.missedRuns = missedRuns();
      summary.reports++;
      if (json) {
        write(
          JSON.stringify({
            type: final ? 'final' : 'interval',
            plugin: plugin.id,
            time: new Date().toISOString(),
            period_s: context(final).periodSeconds,
            events: summary.events,
            lost_events: summary.lost,
            missed_runs: summary.missedRuns,
            degraded: degradedNote,
            ...(report ? reportJson(report) : {}),
          }),
        );
        return;
      }
      if (openmetrics) {
        if (report) write(renderOpenMetrics(plugin.id, report));
        return;
      }
      if (report) {
        write(`\n[${stamp()}] ${plugin.id} ${final ? 'final report' : 'interval report'}`);
        write(renderReportText(report));
      }
      if (ring && (summary.lost || final))
        write(
          `events: ${summary.events}, lost events: ${summary.lost}${summary.lost ? ' (ring buffer full: filter more, or use a larger ring)' : ''}`,
        );
      if (summary.missedRuns)
        write(
          `missed program runs: ${summary.missedRuns} (the kernel skipped them while another BPF program or map operation was active on that CPU; counts may be low)`,
        );
    };
    const collect = (final: boolean) => (output.kind === 'report' ? output.collect(context(final)) : output.collect?.(context(final)));

    await opts.onAttached?.();
    const interval = opts.interval ?? plugin.defaultInterval ?? 0;
    await new Promise<void>((resolve) => {
      const timers: NodeJS.Timeout[] = [];
      const stop = () => {
        timers.forEach(clearTimeout);
        timers.forEach(clearInterval);
        resolve();
      };
      if (opts.signal?.aborted) return stop();
      // Report-only runs with no interval and no duration have nothing else keeping Node alive
      // until Ctrl-C: hold the event loop open explicitly.
      timers.push(setInterval(() => {}, 1 << 30));
      opts.signal?.addEventListener('abort', stop, { once: true });
      if (opts.duration) timers.push(setTimeout(stop, opts.duration * 1000));
      if (interval > 0)
        timers.push(
          setInterval(() => {
            ring?.drain();
            emit(collect(false), false);
            periodStart = Date.now();
          }, interval * 1000),
        );
    });
    // Detach first: a run between the last drain and the counters' read would be counted in the
    // report but missing from the events.
    obj.detach();
    ring?.drain();
    emit(collect(true), true);
    if (summary.lost > 0) {
      log(
        `${plugin.id}: ${summary.lost} of ${summary.events + summary.lost} events lost (ring buffer full)` +
          `${summary.wakeup === 'adaptive' ? '; try --wakeup hybrid' : ''}; filter more, or use a larger ring`,
      );
      if (opts.failOnLoss) summary.exitCode = 1;
    }
    return summary;
  } finally {
    obj.close();
  }
}

/** CO-RE needs the kernel's types: sysfs BTF, or an external file given with --btf. */
export function checkBtf(btfPath: string | undefined): void {
  if (btfPath) {
    if (!existsSync(btfPath)) throw new UsageError(`--btf: no such file: ${btfPath}`);
    useExternalBtf(btfPath);
    return;
  }
  useExternalBtf(undefined);
  if (!hasVmlinuxBtf())
    throw new KernelSupportError(
      `this kernel (${release()}) does not publish its BTF (/sys/kernel/btf/vmlinux is missing)`,
      "pass --btf <file> (or set NETTRACE_BTF) with the BTF of this exact kernel: a vmlinux ELF with a .BTF section, or a raw BTF file (e.g. from the distribution's debug package, or `pahole --btf_encode_detached`)",
    );
}

/**
 * Perf-buffer channel: forced with --perf-buffer, automatic when the kernel has no BPF ring
 * buffer. The object must come with buffer.bpf.h's perf path (cfg_perf_buffer, `<ring>_perf`).
 */
function usePerfBuffer(obj: BpfObject, ringName: string, opts: RunOptions): boolean {
  const wanted = opts.perfBuffer || !hasRingBuffer();
  if (!wanted) return false;
  if (!obj.hasVariable('cfg_perf_buffer') || !obj.hasMap(`${ringName}_perf`)) {
    if (opts.perfBuffer)
      throw new UsageError(
        `--perf-buffer: this plugin's event channel has no perf-buffer path (it predates bpf-headers/nettrace/buffer.bpf.h's)`,
      );
    throw new KernelSupportError(
      'this kernel has no BPF ring buffer (5.8+) and this plugin has no perf-buffer path',
      'upgrade the plugin, or run it on a 5.8+ kernel',
    );
  }
  obj.setVariable('cfg_perf_buffer', 1);
  obj.setAutocreate(ringName, false); // a ring buffer map cannot even be created before 5.8
  return true;
}

/**
 * Chooses the stream's wake-up policy and, for `hybrid`, writes the BPF side's threshold
 * (`cfg_wakeup_bytes`, from buffer.bpf.h) before load.
 */
function configureWakeup(obj: BpfObject, ringName: string, opts: RunOptions, log: (line: string) => void): WakeupPolicy {
  if (opts.ringBytes !== undefined) {
    const n = opts.ringBytes;
    if (n < 4096 || (n & (n - 1)) !== 0) throw new UsageError(`--ring-bytes ${n}: must be a power of 2, at least 4096`);
    obj.setMaxEntries(ringName, n);
  }
  const supported = obj.hasVariable('cfg_wakeup_bytes');
  const policy = opts.wakeup ?? (supported ? 'hybrid' : 'adaptive');
  if (policy !== 'hybrid') return policy;
  if (!supported) {
    log(
      'note: --wakeup hybrid: this plugin does not submit with nt_event_submit() (no cfg_wakeup_bytes), so its events still wake the reader; it is drained on a timer as well',
    );
    return policy;
  }
  const ringBytes = obj.maps().find((m) => m.name === ringName)?.maxEntries ?? 0;
  const bytes = opts.wakeupBytes ?? defaultWakeupBytes(ringBytes);
  if (ringBytes && bytes >= ringBytes)
    throw new UsageError(
      `--wakeup-bytes ${bytes}: must be smaller than the ring buffer (${ringBytes} bytes), or no wake-up could ever be forced`,
    );
  obj.setVariable('cfg_wakeup_bytes', bytes);
  return policy;
}

function planJson(plan: HookPlan) {
  return plan.hooks.map((h) => ({
    hook: h.hook,
    optional: h.optional,
    chosen: h.chosen ? { kind: h.chosen.kind, target: h.chosen.resolvedTarget, program: h.chosen.program } : null,
    rejected: h.rejected.map((r) => ({ kind: r.alternative.kind, target: r.alternative.target, reason: r.reason })),
  }));
}

function optionsJson(values: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [
      k,
      v && typeof v === 'object' && 'text' in v
        ? (v as { text: string }).text
        : v && typeof v === 'object' && 'name' in v
          ? (v as { name: string }).name
          : v,
    ]),
  );
}
