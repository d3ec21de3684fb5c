// Output fields for the shared struct nt_tun_queue (bpf-headers/nettrace/modules/tun_queue.bpf.h):
// one naming of a tun/tap queue across every tun / vhost-net plugin's table and JSON.
import { netnsLabel } from '../kernel/netns.js';

export interface TunQueueLike {
  netns: number;
  ifindex: number;
  queue: number;
  ifname: string;
}

export interface TunQueueFields {
  device: string;
  /** "" in nettrace's own namespace, else its /var/run/netns name or netns:<inode>. */
  netns_name: string;
  ifindex: number;
  netns: number;
  queue: number;
}

export function tunQueueFields(q: TunQueueLike): TunQueueFields {
  return { device: q.ifname, netns_name: netnsLabel(q.netns), ifindex: q.ifindex, netns: q.netns, queue: q.queue };
}

/** "vnet0:q1", or "vnet0@ns1:q1" for a device in another network namespace. */
export function tunQueueText(q: TunQueueLike | TunQueueFields): string {
  const name = 'device' in q ? q.device : q.ifname;
  const ns = 'netns_name' in q ? q.netns_name : netnsLabel(q.netns);
  return `${name}${ns ? `@${ns}` : ''}:q${q.queue}`;
}
