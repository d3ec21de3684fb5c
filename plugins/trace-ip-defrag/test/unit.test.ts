// Unit: options → rodata (the upstream command line runs unchanged), defrag users named from the
// kernel's enum (with zone offsets), the event decoder over golden bytes.
import { KernelEnum, parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import plugin, { defragUser } from '../src/index.js';
import { DefragEventOffsets, DefragEventSize, decodeDefragEvent } from '../src/trace_ip_defrag.gen.js';

const parse = (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, 't');

describe('trace-ip-defrag configure', () => {
  it('runs the upstream command line: --src-ip --dst-ip --protocol udp, directional filters', () => {
    const vars = Object.fromEntries(
      recordConfig(plugin, parse(['--src-ip', '10.0.0.1', '--dst-ip', '10.0.0.2', '--protocol', 'udp'])).variables,
    );
    expect(vars).toMatchObject({ cfg_src_ip_set: 1, cfg_dst_ip_set: 1, cfg_protocol: 17, cfg_lines: true, cfg_stack: false });
    expect(vars.cfg_either_direction).toBeUndefined();
  });
  it('--summary drops the per-fragment lines, -v adds stacks', () => {
    expect(Object.fromEntries(recordConfig(plugin, parse(['--summary', '-v'])).variables)).toMatchObject({
      cfg_lines: false,
      cfg_stack: true,
    });
  });
});

describe('defrag users', () => {
  const users = new KernelEnum(
    'ip_defrag_users',
    new Map([
      [0, 'IP_DEFRAG_LOCAL_DELIVER'],
      [1, 'IP_DEFRAG_CALL_RA_CHAIN'],
      [2, 'IP_DEFRAG_CONNTRACK_IN'],
      [65537, '__IP_DEFRAG_CONNTRACK_IN_END'],
      [65538, 'IP_DEFRAG_CONNTRACK_OUT'],
    ]),
    'test',
  );
  it('are named from the kernel enum, zones as offsets from their base', () => {
    expect(defragUser(users, 0)).toBe('LOCAL_DELIVER');
    expect(defragUser(users, 2)).toBe('CONNTRACK_IN');
    expect(defragUser(users, 7)).toBe('CONNTRACK_IN+5');
    expect(defragUser(users, 65538)).toBe('CONNTRACK_OUT');
    expect(defragUser(undefined, 3)).toBe('3');
  });
});

describe('defrag_event decoder', () => {
  it('decodes golden bytes laid out as the BTF says', () => {
    const b = new Uint8Array(DefragEventSize);
    const v = new DataView(b.buffer);
    v.setBigUint64(DefragEventOffsets.ts_ns, 5n, true);
    b.set([10, 0, 0, 1, 10, 0, 0, 2], DefragEventOffsets.key);
    v.setUint32(DefragEventOffsets.key + 8, 0, true); // user
    v.setUint16(DefragEventOffsets.key + 12, 4660, true); // id
    b[DefragEventOffsets.key + 14] = 1; // protocol
    b[DefragEventOffsets.line] = 1;
    b[DefragEventOffsets.outcome] = 3;
    b[DefragEventOffsets.more] = 1;
    v.setUint16(DefragEventOffsets.offset, 1480, true);
    v.setInt32(DefragEventOffsets.error, -22, true);
    const e = decodeDefragEvent(v, 0);
    expect(e).toMatchObject({ ts_ns: 5, line: 1, outcome: 3, more: 1, offset: 1480, error: -22 });
    expect(e.key).toMatchObject({ id: 4660, protocol: 1, user: 0 });
    expect([...e.key.saddr]).toEqual([10, 0, 0, 1]);
  });
});
