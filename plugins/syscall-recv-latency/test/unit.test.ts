import { parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { decodeRecvEvent, RecvEventSize } from '../src/syscall_recv_latency.gen.js';

describe('syscall-recv-latency', () => {
  it('maps --pid, --threshold and --read to rodata', () => {
    const values = parseOptions({ ...runnerOptions, ...plugin.options }, ['-P', '4242', '-t', '1500', '--read'], 't');
    const vars = Object.fromEntries(recordConfig(plugin, values).variables);
    expect(vars).toMatchObject({ cfg_pid: 4242, cfg_threshold_us: 1500, cfg_trace_read: true });
  });

  it('rejects a non-numeric pid with a usage error', () => {
    expect(() => parseOptions({ ...runnerOptions, ...plugin.options }, ['--pid', 'abc'], 't')).toThrow(
      /--pid: 'abc' is not a non-negative integer/,
    );
  });

  it('decodes a recv_event from golden bytes', () => {
    const b = new Uint8Array(RecvEventSize);
    const v = new DataView(b.buffer);
    v.setUint32(0, 25000, true); // latency_us
    v.setInt32(24, -11, true); // ret low word
    v.setInt32(28, -1, true); // ret high word: -11 as s64
    v.setUint32(32, 7, true); // pid
    b.set(new TextEncoder().encode('python3'), 56);
    const e = decodeRecvEvent(v, 0);
    expect(e).toMatchObject({ latency_us: 25000, ret: -11, pid: 7, comm: 'python3' });
  });
});
