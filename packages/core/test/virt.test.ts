// Unit tests of the pieces core gives the tun / vhost-net plugins: upstream option spellings as
// aliases, function hook ladders, tun queue naming, and interval deltas of cumulative counters.
import { describe, expect, it } from 'vitest';
import {
  definePlugin,
  formatHelp,
  functionHook,
  parseOptions,
  runnerOptions,
  sinceLastReport,
  tunQueueFields,
  tunQueueText,
  vhostSignalHooks,
  vocabulary,
} from '../src/index.js';

describe('option aliases', () => {
  const schema = { ...runnerOptions, protocol: vocabulary.protocol({ aliases: ['--l4-protocol'] }), queue: vocabulary.queue() };
  it('accepts the alias like the option, inline or not, and shows it in help', () => {
    expect(parseOptions(schema, ['--l4-protocol', 'udp'], 't')).toMatchObject({ protocol: 17 });
    expect(parseOptions(schema, ['--l4-protocol=tcp', '-q', '2'], 't')).toMatchObject({ protocol: 6, queue: 2 });
    expect(formatHelp({ protocol: schema.protocol })).toContain('also --l4-protocol');
  });
  it('refuses an alias that shadows another option', () => {
    const def = (aliases: string[]) => ({
      id: 'alias-clash',
      summary: 's',
      object: new URL('file:///x.bpf.o'),
      options: { iface: vocabulary.iface({ aliases }) },
      hooks: [functionHook('f', 'f', { kprobe: 'nt_f' })],
      output: { kind: 'report' as const, collect: () => ({ sections: [] }) },
    });
    expect(() => definePlugin(def(['--interval']))).toThrow('option --interval is declared twice or shadows a runner option');
    expect(() => definePlugin(def(['--device']))).not.toThrow();
  });
});

describe('function hooks', () => {
  it('orders fentry/fexit before kprobe/kretprobe and names the module', () => {
    expect(functionHook('x', 'tun_net_xmit', { kprobe: 'nt_k', fentry: 'nt_f' }, { module: 'tun', optional: true })).toEqual({
      name: 'x',
      optional: true,
      alternatives: [
        { program: 'nt_f', kind: 'fentry', target: 'tun_net_xmit', module: 'tun' },
        { program: 'nt_k', kind: 'kprobe', target: 'tun_net_xmit', module: 'tun' },
      ],
    });
  });
  it('declares the vhost signal entry, exit and the eventfd_signal ladder of vhost_signal.bpf.h', () => {
    const hooks = vhostSignalHooks({ fentry: 'a', kprobe: 'b', fexit: 'c', kretprobe: 'd' });
    expect(hooks.map((h) => h.alternatives.map((a) => `${a.kind}:${a.target}:${a.program}`))).toEqual([
      ['fentry:vhost_add_used_and_signal_n:a', 'kprobe:vhost_add_used_and_signal_n:b'],
      ['fexit:vhost_add_used_and_signal_n:c', 'kretprobe:vhost_add_used_and_signal_n:d'],
      [
        'fentry:eventfd_signal:nt_efd_sig_fe',
        'kprobe:eventfd_signal:nt_efd_sig_kp',
        'fentry:eventfd_signal_mask:nt_efd_msk_fe',
        'kprobe:eventfd_signal_mask:nt_efd_msk_kp',
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
