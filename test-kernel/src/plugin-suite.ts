// The convention for a plugin's tests inside the test kernels: `plugins/<id>/test/kernel.test.ts`
// calls kernelSuite(id, body). For each kernel of the matrix (TK_KERNELS narrows it) one VM is
// booted, the plugin's cases run in it, and the plugin × kernel matrix records the outcome:
// "events verified" when every case passed, "n/a" when a case proved the plugin is refused there
// for a stated reason (ctx.notApplicable), else "failed" with the first failure.
//
//   kernelSuite('tun-ring-monitor', (k) => {
//     k.verify('N pings into a tap are N xmits on its queue', async () => {
//       const r = await k.run({ args: ['--all'], traffic: ['tk-tun-traffic -p tap0 10.240.0 5'] });
//       expect(...)
//     });
//   });
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type AroundResult, runAround } from './fixture-run.js';
import { type KernelSpec, loadMatrix, selectKernels } from './matrix.js';
import { recordCell } from './matrix-file.js';
import { moduleBtfFile } from './module-btf.js';
import { repoRoot } from './paths.js';
import type { Cell } from './verify-gate.js';
import { start, type Vm } from './vm.js';

const BOOT_MS = 10 * 60_000; // the first run downloads and unpacks the kernel
const CASE_MS = 300_000;

export interface PluginRunRequest {
  /** `nettrace run` arguments after the plugin id (plugin and runner options); they may use shell
   * variables `before` set (e.g. `$VM_PID` from kvmVmLines()). */
  args?: string[];
  /** Shell lines run in the guest before nettrace starts (devices its options name). */
  before?: string[];
  /** Shell lines run in the guest while nettrace starts (topology). */
  setup?: string[];
  /** Shell lines run once every program is attached; their stdout comes back as trafficOutput. */
  traffic: string[];
  /** Skip the automatic `--btf` on kernels without module BTF (to prove the refusal). */
  noBtf?: boolean;
  /** Environment of nettrace (e.g. NETTRACE_AVOID to prove a later rung of the hook ladder). */
  env?: Record<string, string>;
  /** A command prefix nettrace runs under, e.g. onlyCapabilities(['bpf', 'perfmon']). */
  wrapper?: string[];
}

export interface KernelContext {
  /** The kernel's spec (facts, quirks) from kernels.json. */
  readonly spec: KernelSpec;
  /** The running VM (valid inside cases). */
  vm(): Vm;
  /** The external BTF with module types on kernels that publish none (5.10) when the plugin hooks
   * module functions (its manifest says so), else undefined. */
  btf(): Promise<string | undefined>;
  /** Runs the plugin with `nettrace run --plugin plugins/<id> <id> … -o json` around traffic. */
  run(req: PluginRunRequest): Promise<AroundResult>;
  /** A case whose assertions must all hold on this kernel; failures fail the matrix cell. On kernels
   * other than the full-cases one it runs only if it is the suite's first case or `everyKernel`. */
  verify(name: string, fn: () => Promise<void>, opts?: number | CaseOptions): void;
  /** Inside a case: the plugin cannot run here, for this reason (the case must have asserted how it
   * was refused); the cell becomes n/a with the reason instead of events verified. */
  notApplicable(reason: string): void;
}

/** Whether the plugin reads module types: any hook alternative in a module (from its built manifest). */
function usesModules(pluginDir: string): boolean {
  const manifest = JSON.parse(readFileSync(path.join(pluginDir, 'dist/manifest.json'), 'utf8')) as {
    hooks: { alternatives: { module?: string }[] }[];
  };
  return manifest.hooks.some((h) => h.alternatives.some((a) => a.module));
}

/** The kernels a suite runs on: the matrix, or exactly TK_KERNELS when set (a developer's choice). */
export function suiteKernels(): KernelSpec[] {
  return selectKernels(process.env.TK_KERNELS);
}

/** The kernel of the matrix where suites run every case. On the others a suite runs its first case
 * (its main one: every hook and CO-RE read of the plugin, exact counts against the scenario) and
 * the cases marked `everyKernel` (a rung or a kernel behaviour that differs between kernels). What
 * does not change between kernels (option handling, filters over the same reads, bad input, the
 * harness's helpers) runs here only. The CI's 90 minutes hold two VMs at a time for ~35 suites
 * that way. TK_EVERY_CASE=1 (or the older TK_STAGE_CASES=all) runs every case on every kernel. */
export const FULL_CASES_KERNEL = '6.1';

export function everyCaseOn(spec: KernelSpec): boolean {
  return process.env.TK_EVERY_CASE === '1' || process.env.TK_STAGE_CASES === 'all' || spec.id === FULL_CASES_KERNEL;
}

export interface CaseOptions {
  timeoutMs?: number;
  /** Run on every kernel of the matrix, not only on the full-cases kernel (see everyCaseOn). */
  everyKernel?: boolean;
}

export function kernelSuite(
  id: string,
  body: (k: KernelContext) => void,
  /** cpus: the VM's vCPUs (default 1), for cases that need a second CPU (e.g. RPS hand-offs). */
  opts: { modules?: string[]; memoryMb?: number; cpus?: number } = {},
): void {
  const pluginDir = path.join(repoRoot, 'plugins', id);
  const needsModuleBtf = usesModules(pluginDir);
  for (const spec of suiteKernels()) {
    describe(`${id} on kernel ${spec.id}`, () => {
      let vm: Vm | undefined;
      let externalBtf: string | undefined;
      const outcome: { cases: number; failure?: string; na?: string } = { cases: 0 };
      let registered = 0;

      beforeAll(async () => {
        vm = await start({
          kernel: spec.id,
          modules: opts.modules ?? loadMatrix().pluginModules,
          memoryMb: opts.memoryMb,
          cpus: opts.cpus,
          log: (m) => console.log(`[test-kernel] ${m}`),
        });
      }, BOOT_MS);

      afterAll(async () => {
        const cell: Cell = outcome.failure
          ? { state: 'failed', detail: `kernel ${spec.id}: ${id}: ${outcome.failure}` }
          : outcome.na
            ? { state: 'n/a', detail: outcome.na }
            : outcome.cases
              ? { state: 'events verified', detail: externalBtf ? `module types from \`nettrace btf build\` (--btf)` : undefined }
              : { state: 'failed', detail: `kernel ${spec.id}: ${id}: no case ran (the VM did not start?)` };
        recordCell(id, spec.id, cell);
        await vm?.stop();
      }, 120_000);

      const ctx: KernelContext = {
        spec,
        vm() {
          if (!vm) throw new Error(`kernel ${spec.id}: the VM is not running`);
          return vm;
        },
        async btf() {
          if (spec.facts.moduleBtf || !needsModuleBtf) return undefined;
          externalBtf ??= await moduleBtfFile(spec, ctx.vm().tree, (m) => console.log(`[test-kernel] ${m}`));
          return externalBtf;
        },
        async run(req) {
          const btf = req.noBtf ? undefined : await ctx.btf();
          return runAround(ctx.vm(), {
            pluginDir,
            id,
            args: [...(btf ? ['--btf', btf] : []), ...(req.args ?? [])],
            env: req.env,
            wrapper: req.wrapper,
            before: req.before,
            setup: req.setup,
            traffic: req.traffic,
            workDir: ctx.vm().shareDir,
            label: id,
          });
        },
        verify(name, fn, opts = {}) {
          const { timeoutMs = CASE_MS, everyKernel = false } = typeof opts === 'number' ? { timeoutMs: opts } : opts;
          if (registered++ > 0 && !everyKernel && !everyCaseOn(spec)) return;
          it(
            name,
            async () => {
              try {
                await fn();
                outcome.cases++;
              } catch (err) {
                outcome.failure ??= `${name}: ${(err as Error).message.split('\n').slice(0, 12).join('\n')}`;
                throw err;
              }
            },
            timeoutMs,
          );
        },
        notApplicable(reason) {
          outcome.na = `kernel ${spec.id}: ${reason}`;
        },
      };
      body(ctx);
    });
  }
}
