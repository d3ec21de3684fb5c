// Unit tests of the pieces core gives the tun / vhost-net plugins: the vhost signal hooks, tun
// queue naming, and interval deltas of cumulative counters.
import { describe, expect, it } from 'vitest';
import { resolveHooks, sinceLastReport, tunQueueFields, tunQueueText, vhostSignalHooks } from '../src/index.js';

describe('vhost signal hooks', () => {
  it('finds the entry, exit and eventfd_signal ladder of vhost_signal.bpf.h in an object by section', () => {
    const programs = {
      a: 'fentry/vhost_add_used_and_signal_n',
      b: 'kprobe/vhost_add_used_and_signal_n',
      c: 'fexit/vhost_add_used_and_signal_n',
      d: 'kretprobe/vhost_add_used_and_signal_n',
      nt_efd_sig_fe: 'fentry/eventfd_signal',
      nt_efd_sig_kp: 'kprobe/eventfd_signal',
      nt_efd_msk_fe: 'fentry/eventfd_signal_mask',
      nt_efd_msk_kp: 'kprobe/eventfd_signal_mask',
    };
    const contract = { object: new URL('file:///x.bpf.o'), programs, maps: {}, variables: {} };
    const hooks = resolveHooks(contract, vhostSignalHooks());
    expect(hooks.map((h) => h.alternatives.map((a) => `${a.kind}:${a.target}:${a.program}:${a.module ?? ''}`))).toEqual([
      ['fentry:vhost_add_used_and_signal_n:a:vhost', 'kprobe:vhost_add_used_and_signal_n:b:vhost'],
      ['fexit:vhost_add_used_and_signal_n:c:vhost', 'kretprobe:vhost_add_used_and_signal_n:d:vhost'],
      [
        'fentry:eventfd_signal:nt_efd_sig_fe:',
        'kprobe:eventfd_signal:nt_efd_sig_kp:',
        'fentry:eventfd_signal_mask:nt_efd_msk_fe:',
        'kprobe:eventfd_signal_mask:nt_efd_msk_kp:',
      ],
    ]);
  });
});

describe('tun queue naming', () => {
  it('names a queue by device and index; a foreign namespace by its inode', () => {
    const q = { netns: 0, ifindex: 7, queue: 1, ifname: 'vnet0' };
    expect(tunQueueText(q)).toBe('vnet0:q1');
    expect(tunQueueFields(q)).toEqual({ device: 'vnet0', netns_name: '', ifindex: 7, netns: 0, queue: 1 });
    expect(tunQueueText({ ...q, netns: 4026500000 })).toBe('vnet0@netns:4026500000:q1');
  });
});

describe('interval deltas', () => {
  it('reports each interval as the change since the previous one and the final report whole', () => {
    const object = {};
    const row = (n: number, slots: number[], idx: number) => new Map([['a', { n, slots, idx }]]);
    const first = sinceLastReport({ object, final: false }, 't', row(3, [1, 2], 9), ['n', 'slots']);
    expect(first.get('a')).toEqual({ n: 3, slots: [1, 2], idx: 9 });
    const second = sinceLastReport({ object, final: false }, 't', row(5, [1, 4], 12), ['n', 'slots']);
    expect(second.get('a')).toEqual({ n: 2, slots: [0, 2], idx: 12 });
    expect(sinceLastReport({ object, final: true }, 't', row(6, [2, 4], 13), ['n', 'slots']).get('a')).toEqual({
      n: 6,
      slots: [2, 4],
      idx: 13,
    });
    // Another table of the same run keeps its own history.
    expect(sinceLastReport({ object, final: false }, 'u', row(1, [], 0), ['n']).get('a')?.n).toBe(1);
  });
});
