// Unit: options → rodata (and the combinations refused), golden-byte decoding, and the report
// arithmetic: interval reports are differences of the kernel's cumulative sums; folded lines.
import { createRunContext, parseOptions, type RunContext, recordConfig, runnerOptions, UsageError } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { decodeOffcpuKey, decodeOffcpuVal, OffcpuKeySize, OffcpuValSize } from '../src/offcputime_ts.gen.js';

const config = (argv: string[]) => recordConfig(plugin, parseOptions({ ...runnerOptions, ...plugin.options }, argv, 't'));

describe('offcputime-ts configure', () => {
  it('maps the options to rodata and map sizes', () => {
    const rec = config([
      '-P',
      '42,44',
      '--user-threads-only',
      '--kernel-stacks-only',
      '--min-block-time',
      '10',
      '--max-block-time',
      '2000000',
      '--state',
      '2',
      '--stack-storage-size',
      '1024',
      '--max-entries',
      '512',
    ]);
    const vars = Object.fromEntries(rec.variables);
    expect(vars).toMatchObject({
      cfg_npids: 2,
      cfg_user_threads_only: true,
      cfg_kernel_threads_only: false,
      cfg_kernel_stacks: true,
      cfg_user_stacks: false,
    });
    expect(vars).toMatchObject({ cfg_min_ns: 10_000n, cfg_max_ns: 2_000_000_000n, cfg_state_filter: 1, cfg_state: 2 });
    expect([...new Uint32Array((vars.cfg_pids as Uint8Array).slice().buffer)]).toEqual([42, 44, ...Array(14).fill(0)]);
    const tids = Object.fromEntries(config(['--tid', '43']).variables);
    expect(tids.cfg_ntids).toBe(1);
    expect(new Uint32Array((tids.cfg_tids as Uint8Array).slice().buffer)[0]).toBe(43);
    expect(rec.maxEntries).toEqual([
      ['stacks', 1024],
      ['counts', 512],
    ]);
  });
  it('defaults: every task, both stacks, blocks of at least 1 us, no state filter', () => {
    const vars = Object.fromEntries(config([]).variables);
    expect(vars).toMatchObject({ cfg_kernel_stacks: true, cfg_user_stacks: true, cfg_min_ns: 1000n });
    expect(vars.cfg_max_ns).toBeUndefined();
    expect(vars.cfg_state_filter).toBeUndefined();
    expect(vars.cfg_npids).toBeUndefined();
    expect(vars.cfg_ntids).toBeUndefined();
  });
  it('refuses contradictory options', () => {
    expect(() => config(['--user-threads-only', '--kernel-threads-only'])).toThrow(UsageError);
    expect(() => config(['--user-stacks-only', '--kernel-stacks-only'])).toThrow(UsageError);
    expect(() => config(['--min-block-time', '100', '--max-block-time', '99'])).toThrow(UsageError);
    expect(() => config(['--pid', '1,x'])).toThrow(UsageError);
    expect(() => config(['--tid', Array.from({ length: 17 }, (_, i) => i + 1).join(',')])).toThrow(UsageError);
  });
});

function key(tid: number, comm: string, kstack = -1, ustack = -1) {
  const v = new DataView(new ArrayBuffer(OffcpuKeySize));
  v.setUint32(0, 7, true); // tgid
  v.setUint32(4, tid, true);
  v.setInt32(8, kstack, true); // -1: no kernel stack
  v.setInt32(12, ustack, true); // -1: no user stack
  new Uint8Array(v.buffer).set(new TextEncoder().encode(comm), 16);
  return new Uint8Array(v.buffer);
}

function val(total: number, blocks: number, max: number) {
  const v = new DataView(new ArrayBuffer(OffcpuValSize));
  v.setBigUint64(0, BigInt(total), true);
  v.setBigUint64(8, BigInt(blocks), true);
  v.setBigUint64(16, BigInt(max), true);
  v.setBigUint64(24, process.hrtime.bigint() - 2_000_000_000n, true);
  v.setBigUint64(32, process.hrtime.bigint(), true);
  return new Uint8Array(v.buffer);
}

describe('decoders', () => {
  it('offcpu_key / offcpu_val from golden bytes', () => {
    expect(decodeOffcpuKey(new DataView(key(8, 'worker').buffer), 0)).toEqual({ tgid: 7, tid: 8, kstack: -1, ustack: -1, comm: 'worker' });
    expect(decodeOffcpuVal(new DataView(val(1500, 3, 900).buffer), 0)).toMatchObject({ total_ns: 1500, blocks: 3, max_ns: 900 });
  });
});

describe('reports', () => {
  let entries: [Uint8Array, Uint8Array][] = [];
  const object = {
    map: (name: string) =>
      name === 'counts' ? { entries: () => entries } : { lookup: () => new Uint8Array(8), valueBytes: 8, sumU64: () => 0 },
  } as unknown as RunContext<never>['object'];
  type Report = { sections: { key: string; title?: string; rows?: Record<string, unknown>[]; values?: Record<string, number> }[] };
  const collect = (final: boolean, folded = false, on: RunContext<never>['object'] = object) =>
    (plugin.output as { collect(c: RunContext<never>): Report }).collect(
      createRunContext(plugin, on, { folded, delimited: true }, { final, periodSeconds: 1 }),
    );
  /** A fresh object (interval bookkeeping is per object). */
  const fresh = () => ({ ...object }) as RunContext<never>['object'];

  it('interval reports hold the interval only; the final report the whole run; folded lines', () => {
    entries = [
      [key(8, 'a'), val(300_000, 3, 100_000)],
      [key(9, 'b'), val(5_000, 1, 5_000)],
    ];
    const r1 = collect(false);
    expect(r1.sections[0].rows?.map((r) => [r.tid, r.off_cpu_us, r.blocks])).toEqual([
      [8, 300, 3],
      [9, 5, 1],
    ]);
    expect(r1.sections[1].values).toEqual({ stacks: 2, off_cpu_us: 305, blocks: 4, untracked: 0, missed_stacks: 0 });
    entries = [
      [key(8, 'a'), val(700_500, 5, 400_000)],
      [key(9, 'b'), val(5_000, 1, 5_000)],
    ];
    const r2 = collect(false);
    expect(r2.sections[0].rows?.map((r) => [r.tid, r.off_cpu_us, r.blocks, r.max_us])).toEqual([[8, 400.5, 2, 400]]);
    const fin = collect(true);
    expect(fin.sections[0].rows?.map((r) => [r.tid, r.off_cpu_us, r.blocks])).toEqual([
      [8, 700.5, 5],
      [9, 5, 1],
    ]);
    expect(Date.parse(fin.sections[0].rows?.[0].last_seen as string)).toBeGreaterThan(Date.now() - 1000);
  });

  it('folded: without intervals the final report is the run; with them each report only adds (piped output counts once)', () => {
    entries = [
      [key(8, 'a'), val(700_500, 5, 400_000)],
      [key(9, 'b'), val(5_000, 1, 5_000)],
    ];
    const whole = collect(true, true, fresh());
    expect(whole.sections.length).toBe(1);
    expect(whole.sections[0].rows?.map((r) => r.folded)).toEqual(['a 701', 'b 5']);
    expect(whole.sections[0].title).toBe('# stacks=2 off_cpu_us=705.5 blocks=6 untracked=0 missed_stacks=0');
    const series = fresh();
    entries = [[key(8, 'a'), val(300_000, 3, 100_000)]];
    const i1 = collect(false, true, series);
    entries = [
      [key(8, 'a'), val(700_500, 5, 400_000)],
      [key(9, 'b'), val(5_000, 1, 5_000)],
    ];
    const i2 = collect(false, true, series);
    const fin = collect(true, true, series);
    const lines = (r: Report) => r.sections[0].rows?.map((x) => x.folded) ?? [];
    expect([...lines(i1), ...lines(i2), ...lines(fin)]).toEqual(['a 300', 'a 401', 'b 5']);
  });

  it('missed stacks are marked as in BCC; -EFAULT and -1 mean no stack', () => {
    const EEXIST = -17;
    const ENOMEM = -12;
    const EFAULT = -14;
    entries = [
      [key(8, 'a', EEXIST, ENOMEM), val(3_000, 1, 3_000)],
      [key(9, 'b', ENOMEM, EFAULT), val(2_000, 1, 2_000)],
    ];
    const r = collect(true, false, fresh());
    expect(r.sections[0].rows?.map((x) => [x.kernel_stack, x.user_stack, x.folded])).toEqual([
      [['[Missed Kernel Stack]'], ['[Missed User Stack]'], 'a;[Missed User Stack];-;[Missed Kernel Stack] 3'],
      [['[Missed Kernel Stack]'], [], 'b;[Missed Kernel Stack] 2'],
    ]);
    expect(r.sections[1].values?.missed_stacks).toBe(3);
  });
});
