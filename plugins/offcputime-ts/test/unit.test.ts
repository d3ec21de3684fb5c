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
      '42',
      '--tid',
      '43',
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
      cfg_pid: 42,
      cfg_tid: 43,
      cfg_user_threads_only: true,
      cfg_kernel_threads_only: false,
      cfg_kernel_stacks: true,
      cfg_user_stacks: false,
    });
    expect(vars).toMatchObject({ cfg_min_ns: 10_000n, cfg_max_ns: 2_000_000_000n, cfg_state_filter: 1, cfg_state: 2 });
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
    expect(vars.cfg_pid).toBeUndefined();
  });
  it('refuses contradictory options', () => {
    expect(() => config(['--user-threads-only', '--kernel-threads-only'])).toThrow(UsageError);
    expect(() => config(['--user-stacks-only', '--kernel-stacks-only'])).toThrow(UsageError);
    expect(() => config(['--min-block-time', '100', '--max-block-time', '99'])).toThrow(UsageError);
  });
});

function key(tid: number, comm: string) {
  const v = new DataView(new ArrayBuffer(OffcpuKeySize));
  v.setUint32(0, 7, true); // tgid
  v.setUint32(4, tid, true);
  v.setInt32(8, -1, true); // no kernel stack
  v.setInt32(12, -1, true); // no user stack
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
  const collect = (final: boolean, folded = false) =>
    (
      plugin.output as {
        collect(c: RunContext<never>): {
          sections: { key: string; title?: string; rows?: Record<string, unknown>[]; values?: Record<string, number> }[];
        };
      }
    ).collect(createRunContext(plugin, object, { folded, delimited: false }, { final, periodSeconds: 1 }));

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
    expect(r1.sections[1].values).toEqual({ stacks: 2, off_cpu_us: 305, blocks: 4, untracked: 0 });
    entries = [
      [key(8, 'a'), val(700_500, 5, 400_000)],
      [key(9, 'b'), val(5_000, 1, 5_000)],
    ];
    const r2 = collect(false);
    expect(r2.sections[0].rows?.map((r) => [r.tid, r.off_cpu_us, r.blocks, r.max_us])).toEqual([[8, 400.5, 2, 400]]);
    const fin = collect(true, true);
    expect(fin.sections.length).toBe(1);
    expect(fin.sections[0].rows?.map((r) => r.folded)).toEqual(['a 701', 'b 5']);
    expect(fin.sections[0].title).toBe('# stacks=2 off_cpu_us=705.5 blocks=6 untracked=0');
    expect(Date.parse(fin.sections[0].rows?.[0].last_seen as string)).toBeGreaterThan(Date.now() - 1000);
  });
});
