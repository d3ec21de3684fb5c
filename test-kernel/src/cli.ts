#!/usr/bin/env node
import { buildFixture } from './fixture.js';
// nettrace-test-kernel (`npm run test:kernel -- [--kernel 6.1] [plugin...]`): boots the matrix
// kernels one at a time, runs the harness self-check, the verifier gate for the plugins and the
// event checks that exist for them, and prints the plugin × kernel matrix. Exit 1 on any failure.
import { liveTarget, type Target } from './host.js';
import { loadMatrix, selectKernels } from './matrix.js';
import { moduleBtfFile } from './module-btf.js';
import { installedPlugins } from './plugins.js';
import { Matrix } from './report.js';
import { selfCheck } from './self-check.js';
import { smokeCell } from './smoke.js';
import { type Cell, cellOf, runVerify } from './verify-gate.js';
import { isVm, start } from './vm.js';

const usage = `Usage: nettrace-test-kernel [--kernel ID[,ID...]] [--no-live] [plugin...]

Boots each kernel of test-kernel/kernels.json in turn (ids: ${loadMatrix()
  .kernels.map((k) => k.id)
  .join(', ')}),
then checks the live kernel of this machine too (unless --no-live), and prints a matrix
plugin × kernel: loaded / attached / events verified / n/a (reason) / failed.
With no plugin named, every plugin under plugins/ is checked, and the kprobe-smoke fixture
(kprobe + fentry + module-BTF CO-RE with exact event counts) runs in each VM.
Serial logs: test-kernel/.logs/<kernel>-<pid>-<n>.serial.log (one per VM)`;

interface Args {
  kernels?: string;
  live: boolean;
  plugins: string[];
}

function parseArgs(argv: string[]): Args | 'help' {
  const args: Args = { live: true, plugins: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-h' || a === '--help') return 'help';
    if (a === '--kernel' || a === '-k') args.kernels = argv[++i];
    else if (a.startsWith('--kernel=')) args.kernels = a.slice('--kernel='.length);
    else if (a === '--no-live') args.live = false;
    else if (a.startsWith('-')) throw new Error(`unknown option '${a}'\n\n${usage}`);
    else args.plugins.push(a);
  }
  if (args.kernels !== undefined && !args.kernels) throw new Error('--kernel needs a kernel id (e.g. --kernel 6.1)');
  return args;
}

/** Rows that are test-kernel fixtures rather than plugins/ packages. */
const FIXTURES = ['kprobe-smoke'];

/** The verifier gate over plugins/ (all when `plugins` is empty: one nettrace does not see fails). */
async function verifyPlugins(target: Target, plugins: string[], matrix: Matrix): Promise<void> {
  // A kernel without module BTF loads the module-reading plugins with `nettrace btf build`'s file.
  const btf = isVm(target) && !target.spec.facts.moduleBtf ? await moduleBtfFile(target.spec, target.tree) : undefined;
  const { records } = await runVerify(target, plugins, [], btf);
  for (const r of records) matrix.set(r.plugin, target.id, cellOf(target.id, r));
  for (const id of plugins.length > 0 ? plugins : installedPlugins()) {
    if (!records.some((r) => r.plugin === id)) {
      matrix.set(id, target.id, {
        state: 'failed',
        detail: `nettrace verify gave no result for ${id} (is plugins/${id} built? npm run build)`,
      });
    }
  }
}

/** kprobe-smoke: exact event counts in a VM; on the live kernel, what the gate says of it. */
async function smokeRow(target: Target): Promise<Cell> {
  if (isVm(target)) return smokeCell(target);
  const { records } = await runVerify(target, ['kprobe-smoke'], [await buildFixture('kprobe-smoke')]);
  const r = records.find((x) => x.plugin === 'kprobe-smoke');
  return r ? cellOf(target.id, r) : { state: 'failed', detail: 'nettrace verify gave no result for the kprobe-smoke fixture' };
}

async function checkTarget(target: Target, requested: string[], matrix: Matrix): Promise<void> {
  matrix.set('(harness)', target.id, await selfCheck(target));
  const plugins = requested.filter((p) => !FIXTURES.includes(p));
  if (requested.length === 0 || plugins.length > 0) await verifyPlugins(target, plugins, matrix);
  if (requested.length === 0 || requested.includes('kprobe-smoke')) {
    matrix.set(
      'kprobe-smoke',
      target.id,
      await smokeRow(target).catch((e: unknown) => ({ state: 'failed' as const, detail: (e as Error).message })),
    );
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args === 'help') {
    console.log(usage);
    return 0;
  }
  const known = [...installedPlugins(), ...FIXTURES];
  const unknown = args.plugins.filter((p) => !known.includes(p));
  if (unknown.length > 0) throw new Error(`unknown plugin ${unknown.join(', ')}: known are ${known.join(', ')}`);
  const wantLive = args.live && (args.kernels === undefined || args.kernels.split(',').includes('live'));
  const kernelList = args.kernels
    ?.split(',')
    .filter((k) => k !== 'live')
    .join(',');
  const kernels = args.kernels !== undefined && !kernelList ? [] : selectKernels(kernelList);
  const matrix = new Matrix();
  const log = (m: string) => console.error(`[test-kernel] ${m}`);

  for (const spec of kernels) {
    const t0 = Date.now();
    try {
      const vm = await start({ kernel: spec.id, modules: loadMatrix().pluginModules, log });
      try {
        await checkTarget(vm, args.plugins, matrix);
      } finally {
        await vm.stop();
      }
    } catch (e) {
      const detail = `kernel ${spec.id}: ${(e as Error).message}`;
      for (const row of ['(harness)', ...(args.plugins.length > 0 ? args.plugins : known)])
        if (!matrix.get(row, spec.id)) matrix.set(row, spec.id, { state: 'failed', detail });
    }
    log(`kernel ${spec.id} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (wantLive) {
    try {
      await checkTarget(liveTarget(), args.plugins, matrix);
    } catch (e) {
      for (const row of ['(harness)', ...(args.plugins.length > 0 ? args.plugins : known)])
        if (!matrix.get(row, 'live')) matrix.set(row, 'live', { state: 'failed', detail: `live: ${(e as Error).message}` });
    }
  }
  console.log(matrix.render());
  return matrix.failed() ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`nettrace-test-kernel: ${(e as Error).message}`);
    process.exit(2);
  },
);
