// The static checks of the BCC original, without its shell pipelines: tunnel devices (this
// namespace from sysfs, named namespaces through `ip -n`), UDP sockets on the VXLAN ports, the
// offload features each virtio-net NIC negotiated with its host (a guest that may be handed
// UDP-tunnel GSO packets shows GUEST_UDP_TUNNEL_GSO), and IP forwarding. Read once per run.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { onPath } from '@nettrace/core';

export interface Finding {
  check: 'tunnel-device' | 'vxlan-socket' | 'virtio-nic' | 'ip-forward';
  name: string;
  netns: string;
  detail: string;
}

const NET = '/sys/class/net';
const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8').trim() : '');
/** ARPHRD_* of IP-in-IP style tunnels (include/uapi/linux/if_arp.h). */
const ARPHRD_TUNNELS: Record<string, string> = { 768: 'ipip', 769: 'ip6tnl', 776: 'sit', 778: 'gre', 823: 'ip6gre' };
/** VIRTIO_NET_F_* offload bits worth knowing here (include/uapi/linux/virtio_net.h). */
const VIRTIO_OFFLOADS: Record<number, string> = {
  1: 'GUEST_CSUM',
  7: 'GUEST_TSO4',
  8: 'GUEST_TSO6',
  9: 'GUEST_ECN',
  10: 'GUEST_UFO',
  11: 'HOST_TSO4',
  12: 'HOST_TSO6',
  14: 'HOST_UFO',
  15: 'MRG_RXBUF',
  54: 'GUEST_USO4',
  55: 'GUEST_USO6',
  56: 'HOST_USO',
  65: 'GUEST_UDP_TUNNEL_GSO',
  66: 'GUEST_UDP_TUNNEL_GSO_CSUM',
  67: 'HOST_UDP_TUNNEL_GSO',
  68: 'HOST_UDP_TUNNEL_GSO_CSUM',
};
const VXLAN_PORTS = new Set([4789, 8472]);

function ownDevices(): Finding[] {
  const out: Finding[] = [];
  for (const dev of existsSync(NET) ? readdirSync(NET) : []) {
    const devtype = /^DEVTYPE=(.*)$/m.exec(read(`${NET}/${dev}/uevent`))?.[1];
    const tunnel = devtype === 'vxlan' || devtype === 'geneve' ? devtype : ARPHRD_TUNNELS[read(`${NET}/${dev}/type`)];
    if (tunnel) out.push({ check: 'tunnel-device', name: dev, netns: '', detail: tunnel });
    const driver = existsSync(`${NET}/${dev}/device/driver`) ? readlinkSync(`${NET}/${dev}/device/driver`).split('/').pop() : '';
    if (driver === 'virtio_net') {
      const bits = read(`${NET}/${dev}/device/features`);
      const on = Object.entries(VIRTIO_OFFLOADS).filter(([b]) => bits[Number(b)] === '1');
      out.push({ check: 'virtio-nic', name: dev, netns: '', detail: on.map(([, n]) => n).join(' ') || 'no offloads' });
    }
  }
  return out;
}

/** VXLAN/Geneve devices of the named namespaces (`ip -n NS -d -o link`). */
function namedNamespaceDevices(): Finding[] {
  const dir = '/var/run/netns';
  if (!existsSync(dir) || !onPath('ip')) return [];
  return readdirSync(dir).flatMap((ns) => {
    let text = '';
    try {
      text = execFileSync('ip', ['-n', ns, '-d', '-o', 'link', 'show'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return [];
    }
    return text.split('\n').flatMap((l) => {
      const m = /^\d+: ([^:@]+).*?\\\s+(vxlan|geneve|ipip|gre|sit)\s/.exec(l);
      return m ? [{ check: 'tunnel-device' as const, name: m[1], netns: ns, detail: m[2] }] : [];
    });
  });
}

/** UDP sockets bound to 4789 or 8472 in this namespace (kernel VXLAN sockets included). */
function vxlanSockets(): Finding[] {
  return ['/proc/net/udp', '/proc/net/udp6'].flatMap((f) =>
    read(f)
      .split('\n')
      .slice(1)
      .flatMap((l) => {
        const port = Number.parseInt(l.trim().split(/\s+/)[1]?.split(':')[1] ?? '', 16);
        return VXLAN_PORTS.has(port)
          ? [{ check: 'vxlan-socket' as const, name: `udp${f.endsWith('6') ? '6' : ''}:${port}`, netns: '', detail: '' }]
          : [];
      }),
  );
}

export function staticChecks(): Finding[] {
  return [
    ...ownDevices(),
    ...namedNamespaceDevices(),
    ...vxlanSockets(),
    { check: 'ip-forward', name: 'net.ipv4.ip_forward', netns: '', detail: read('/proc/sys/net/ipv4/ip_forward') || '?' },
  ];
}
