// Unit: options → rodata, the hook ladders, virtio_net_hdr gso_type names, the event decoder over
// golden bytes, and the static checks against this machine's own sysfs/procfs.
import { parseOptions, recordConfig, runnerOptions } from '@nettrace/core';
import { describe, expect, it } from 'vitest';
import plugin, { eventRow, vnetGsoType } from '../src/index.js';
import { decodeVxEvent, VxEventOffsets, VxEventSize, VxPoint } from '../src/skb_vxlan_source_detector.gen.js';
import { staticChecks } from '../src/static.js';

const parse = (argv: string[]) => parseOptions({ ...runnerOptions, ...plugin.options }, argv, 't');

describe('skb-vxlan-source-detector configure', () => {
  it('writes --all-skbs and --gso-changes-only; --no-static-check is user space only', () => {
    const vars = Object.fromEntries(recordConfig(plugin, parse(['--all-skbs', '--gso-changes-only', '--no-static-check'])).variables);
    expect(vars).toMatchObject({ cfg_all_skbs: true, cfg_changes_only: true });
    expect(Object.keys(vars).some((k) => k.includes('static'))).toBe(false);
  });
  it('hooks virtio through virtnet_poll (receive_buf is also a tty function in vmlinux) and vxlan_rcv in its module', () => {
    const byName = Object.fromEntries(plugin.hooks.map((h) => [h.name, h]));
    expect(byName.virtnet_poll.alternatives.every((a) => a.module === 'virtio_net')).toBe(true);
    expect(byName['vxlan_rcv return'].alternatives.map((a) => `${a.kind}:${a.target}:${a.module}`)).toEqual([
      'fexit:vxlan_rcv:vxlan',
      'kretprobe:vxlan_rcv:vxlan',
    ]);
    expect(plugin.hooks.filter((h) => !h.optional && !h.pairedWith).map((h) => [h.name, h.alternatives.map((a) => a.kind)])).toEqual([
      ['udp4_gro_complete return', ['fexit', 'kretprobe', 'tp_btf', 'tracepoint']],
    ]);
    // Every entry goes with its return; napi_gro_receive only with virtnet_poll (virtio's receive).
    for (const h of plugin.hooks.filter((x) => x.pairedWith))
      expect(h.pairedWith).toEqual(
        h.name === 'napi_gro_receive' ? { hook: 'virtnet_poll', target: 'virtnet_poll' } : { hook: `${h.name} return`, target: h.name },
      );
  });
});

describe('labels and decoder', () => {
  it('names virtio_net_hdr gso types, with the tunnel and ECN bits', () => {
    expect(vnetGsoType(0)).toBe('NONE');
    expect(vnetGsoType(0x21)).toBe('TCPV4|UDP_TUNNEL_IPV4');
    expect(vnetGsoType(0x84)).toBe('TCPV6|ECN');
  });
  it('decodes golden bytes into a row', () => {
    const bytes = new Uint8Array(VxEventSize);
    const v = new DataView(bytes.buffer);
    const O = VxEventOffsets;
    v.setUint32(O.gso_type_before, 1 | (1 << 10), true); // TCPV4 | UDP_TUNNEL
    v.setUint32(O.gso_type_after, 1, true);
    v.setUint16(O.gso_size, 1398, true);
    v.setUint16(O.gso_segs, 3, true);
    bytes[O.point] = VxPoint.VX_VXLAN_RCV;
    bytes[O.kind] = 1; // CLEARED
    bytes[O.encapsulation] = 0;
    bytes.set(new TextEncoder().encode('eth1\0'), O.ifname);
    v.setUint32(O.ifindex, 3, true);
    expect(eventRow(decodeVxEvent(v, 0))).toMatchObject({
      point: 'vxlan_rcv',
      kind: 'CLEARED',
      gso_type_before: ['TCPV4', 'UDP_TUNNEL'],
      gso_type_after: ['TCPV4'],
      gso_size: 1398,
      gso_segs: 3,
      encapsulation: false,
      interface: 'eth1',
    });
  });
  it('static checks: findings of known kinds, forwarding always reported', () => {
    const found = staticChecks();
    expect(found.every((f) => ['tunnel-device', 'vxlan-socket', 'virtio-nic', 'ip-forward'].includes(f.check))).toBe(true);
    expect(found.filter((f) => f.check === 'ip-forward').map((f) => f.detail)).toEqual([expect.stringMatching(/^[01]$/)]);
  });
});
