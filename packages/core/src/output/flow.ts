// Output fields for the shared struct nt_flow (bpf-headers/nettrace/skb.bpf.h), whatever plugin
// decoded it: one naming for flows across every plugin's table and JSON.
import { formatIp, protocolName } from '../kernel/net.js';

export interface FlowLike {
  family: number;
  protocol: number;
  sport: number;
  dport: number;
  saddr: Uint8Array;
  daddr: Uint8Array;
}

export interface FlowFields {
  protocol: string;
  src_ip: string;
  dst_ip: string;
  src_port: number;
  dst_port: number;
}

export function flowFields(f: FlowLike): FlowFields {
  return {
    protocol: f.family ? protocolName(f.protocol) : '-',
    src_ip: formatIp(f.family, f.saddr),
    dst_ip: formatIp(f.family, f.daddr),
    src_port: f.sport,
    dst_port: f.dport,
  };
}

/** "udp 10.0.0.1:5000 -> 10.0.0.2:9" (IPv6 addresses in brackets). */
export function flowText(f: FlowLike): string {
  if (!f.family) return 'non-IP';
  const ff = flowFields(f);
  const host = (ip: string) => (f.family === 10 ? `[${ip}]` : ip);
  const ports = f.protocol === 6 || f.protocol === 17;
  return `${ff.protocol} ${host(ff.src_ip)}${ports ? `:${ff.src_port}` : ''} -> ${host(ff.dst_ip)}${ports ? `:${ff.dst_port}` : ''}`;
}
