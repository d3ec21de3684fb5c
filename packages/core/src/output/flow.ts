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

const PORTS = new Set(['tcp', 'udp']);

/**
 * One address with its port, as every plugin prints it: "10.0.0.1:53", "[2001:db8::1]:53" (IPv6
 * in brackets), or the address alone when there is no port: none given, or a protocol without
 * ports (`protocol` as flowFields() names it: anything but tcp and udp).
 */
export function endpoint(ip: string, port?: number, protocol?: string): string {
  const withPort = port !== undefined && (protocol === undefined || PORTS.has(protocol));
  if (!withPort) return ip;
  return `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
}

/** The source or destination of an output row that holds flowFields() (under `prefix`, e.g.
 * `inner_`), as endpoint() writes it: for table columns. */
export function flowEndpoint(row: Record<string, unknown>, side: 'src' | 'dst', prefix = ''): string {
  return endpoint(
    String(row[`${prefix}${side}_ip`]),
    row[`${prefix}${side}_port`] as number | undefined,
    row[`${prefix}protocol`] as string,
  );
}

/** "udp 10.0.0.1:5000 -> 10.0.0.2:9" (IPv6 addresses in brackets). */
export function flowText(f: FlowLike): string {
  if (!f.family) return 'non-IP';
  const ff = flowFields(f);
  return `${ff.protocol} ${endpoint(ff.src_ip, ff.src_port, ff.protocol)} -> ${endpoint(ff.dst_ip, ff.dst_port, ff.protocol)}`;
}
