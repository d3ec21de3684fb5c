// Unit-test support for the tun / vhost-net plugins: the option checks they all share (queue
// filter, the upstream --device spelling, devices that cannot be traced) and a BpfObject whose
// maps hold given entries, for testing what a report makes of them without a kernel.
import { formatHelp, type Plugin, parseOptions, type RunContext, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';

/** The option tests every plugin built on tapQueueFilter() must pass. */
export function describeTapQueueOptions(plugin: Plugin): void {
  const parse = (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, 't');
  const vars = (argv: string[]) => Object.fromEntries(recordConfig(plugin, parse(argv)).variables);
  describe(`${plugin.id} tap queue options`, () => {
    it('writes the queue filter, none by default', () => {
      expect(vars(['-q', '3'])).toMatchObject({ cfg_queue_set: 1, cfg_queue: 3 });
      expect(vars([]).cfg_queue_set).toBeUndefined();
    });
    it('takes the upstream --device spelling and refuses what it cannot trace', () => {
      expect(formatHelp(plugin.options)).toContain('also --device');
      expect(() => vars(['--device', 'lo'])).toThrow('--interface: lo is not a tun/tap device');
      expect(() => parse(['--device', 'nettrace-none0'])).toThrow("no network interface named 'nettrace-none0'");
    });
  });
}

/** A BpfObject whose maps (plain, not per-CPU) hold `entries`; counters maps read as zero. */
export function fakeObject(entries: Record<string, [Uint8Array, Uint8Array][]>): RunContext<never>['object'] {
  const map = (name: string) => ({
    perCpu: false,
    valueBytes: 8,
    entries: () => entries[name] ?? [],
    lookup: (k: Uint8Array) => (entries[name] ?? []).find(([key]) => Buffer.from(key).equals(Buffer.from(k)))?.[1],
    sumU64: (v: Uint8Array, offset = 0) => Number(new DataView(v.buffer, v.byteOffset).getBigUint64(offset, true)),
  });
  return { map } as unknown as RunContext<never>['object'];
}
