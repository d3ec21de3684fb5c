// Network namespaces for device options: `--netns` resolves to the namespace inode the kernel
// compares (net->ns.inum), and interface options are resolved inside it whatever the argument
// order. Needs root (creates a private namespace with `ip netns`).
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plugin } from '../src/index.js';
import { currentNetns, ifindexInNetns, netnsLabel, netnsOf, parseOptions, recordConfig, UsageError, vocabulary } from '../src/index.js';

const NS = `ntcore${process.pid}`;
beforeAll(() => {
  execFileSync('ip', ['netns', 'add', NS]);
  execFileSync('ip', ['-n', NS, 'link', 'add', 'nsdummy0', 'type', 'veth', 'peer', 'name', 'nsdummy1']);
});
afterAll(() => execFileSync('ip', ['netns', 'del', NS]));

describe('netns resolution', () => {
  it('gives the inode of the namespace file, by name or by path', () => {
    const ns = netnsOf(NS);
    expect(ns.inode).toBe(statSync(`/var/run/netns/${NS}`).ino);
    expect(netnsOf(`/var/run/netns/${NS}`).inode).toBe(ns.inode);
    expect(netnsOf('/proc/self/ns/net').inode).toBe(currentNetns().inode);
    expect(ns.inode).not.toBe(currentNetns().inode);
  });
  it('rejects what is not a network namespace', () => {
    expect(() => netnsOf('no-such-namespace')).toThrow(UsageError);
    expect(() => netnsOf('/etc/hostname')).toThrow(/not a network namespace/);
    expect(() => netnsOf('/proc/self/ns')).toThrow(/not a network namespace/);
  });
  it('resolves an interface inside the namespace, by name and through a path (nsenter)', () => {
    const ns = netnsOf(NS);
    const idx = ifindexInNetns(ns, 'nsdummy0');
    expect(idx).toBeGreaterThan(1);
    expect(ifindexInNetns(netnsOf(`/var/run/netns/${NS}`), 'nsdummy0')).toBe(idx);
    expect(ifindexInNetns(ns, 'lo')).toBe(1);
    expect(() => ifindexInNetns(ns, 'eth0')).toThrow(
      /no network interface named 'eth0' in network namespace .*interfaces there: lo, .*nsdummy0/,
    );
  });
  it('labels namespaces for output', () => {
    expect(netnsLabel(currentNetns().inode)).toBe('');
    expect(netnsLabel(netnsOf(NS).inode)).toBe(NS);
    expect(netnsLabel(123)).toBe('netns:123');
  });
});

describe('interface options with a netns option in the schema', () => {
  const schema = { iface: vocabulary.iface(), netns: vocabulary.netns() };
  it('resolves --interface in --netns whatever the order', () => {
    for (const argv of [
      ['-I', 'nsdummy0', '--netns', NS],
      ['--netns', NS, '--interface', 'nsdummy0'],
    ]) {
      const v = parseOptions(schema, argv, 't') as { iface: { ifindex: number; netns: string }; netns: { inode: number } };
      expect(v.iface.netns).toBe(NS);
      expect(v.iface.ifindex).toBe(ifindexInNetns(netnsOf(NS), 'nsdummy0'));
      expect(v.netns.inode).toBe(netnsOf(NS).inode);
    }
  });
  it('pins an interface given alone to the current namespace, and writes both to rodata', () => {
    const v = parseOptions(schema, ['-I', 'lo'], 't');
    const plugin = { options: schema } as unknown as Plugin;
    const vars = Object.fromEntries(recordConfig(plugin, v).variables);
    expect(vars).toEqual({ cfg_ifindex: 1, cfg_netns_ino: currentNetns().inode });
  });
  it('leaves schemas without a netns option as they were', () => {
    const v = parseOptions({ iface: vocabulary.iface() }, ['-I', 'lo'], 't') as { iface: { netns?: string } };
    expect(v.iface).toEqual({ name: 'lo', ifindex: 1 });
    expect(() => parseOptions({ iface: vocabulary.iface() }, ['-I', 'nsdummy0'], 't')).toThrow(/no network interface named 'nsdummy0'/);
  });
});
