// Addresses, protocols and interfaces: parse what users type, format what the kernel reports.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { UsageError } from '../errors.js';

export const AF_INET = 2;
export const AF_INET6 = 10;

export interface IpAddress {
  family: typeof AF_INET | typeof AF_INET6;
  /** Network byte order, 4 or 16 bytes. */
  bytes: Uint8Array;
  text: string;
}

export function parseIp(text: string, flag = 'address'): IpAddress {
  const kind = isIP(text);
  if (kind === 4) return { family: AF_INET, bytes: Uint8Array.from(text.split('.').map(Number)), text };
  if (kind === 6) return { family: AF_INET6, bytes: ipv6Bytes(text), text };
  throw new UsageError(`${flag}: '${text}' is not an IPv4 or IPv6 address`);
}

function ipv6Bytes(text: string): Uint8Array {
  let t = text;
  const v4 = t.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    const b = v4[1].split('.').map(Number);
    t = t.replace(v4[1], `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`);
  }
  const [head, tail] = t.split('::');
  const h = head ? head.split(':') : [];
  const tl = tail !== undefined && tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - tl.length).fill('0'), ...tl];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = Number.parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  return out;
}

/** Formats an address of `family` from the first 4 or 16 bytes of `bytes`. */
export function formatIp(family: number, bytes: Uint8Array): string {
  if (family === AF_INET) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  if (family !== AF_INET6) return '-';
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  // Collapse the longest run of zero groups (RFC 5952).
  let best = [-1, 0];
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best[1] && j - i > 1) best = [i, j - i];
    i = j;
  }
  if (best[0] < 0) return groups.join(':');
  return `${groups.slice(0, best[0]).join(':')}::${groups.slice(best[0] + best[1]).join(':')}`;
}

const PROTOCOLS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58, all: 0 };

export function parseProtocol(text: string, flag = '--protocol'): number {
  const t = text.toLowerCase();
  if (t in PROTOCOLS) return PROTOCOLS[t];
  if (/^\d+$/.test(t) && Number(t) < 256) return Number(t);
  throw new UsageError(`${flag}: '${text}' is not a protocol (tcp, udp, icmp, icmpv6, all, or a number 0-255)`);
}

const PROTOCOL_NAMES = new Map(Object.entries(PROTOCOLS).flatMap(([k, v]): [number, string][] => (k === 'all' ? [] : [[v, k]])));

export function protocolName(n: number): string {
  return PROTOCOL_NAMES.get(n) ?? String(n);
}

export function parsePort(text: string, flag = '--port'): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 65535)
    throw new UsageError(`${flag}: '${text}' is not a port number (1-65535)`);
  return Number(text);
}

/** Interface name → ifindex in the current network namespace. */
export function ifindexOf(name: string, flag = '--interface'): number {
  const path = `/sys/class/net/${name}/ifindex`;
  if (!/^[\w.:@-]{1,15}$/.test(name) || !existsSync(path)) {
    const known = existsSync('/sys/class/net') ? readdirSync('/sys/class/net').join(', ') : 'none';
    throw new UsageError(`${flag}: no network interface named '${name}' (interfaces here: ${known})`);
  }
  return Number(readFileSync(path, 'utf8').trim());
}

/** ifindex → name, for output; falls back to the number when the device is gone. */
export function interfaceName(ifindex: number): string {
  if (!ifindex) return '-';
  try {
    for (const name of readdirSync('/sys/class/net')) {
      if (Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8')) === ifindex) return name;
    }
  } catch {
    // fall through
  }
  return `if${ifindex}`;
}
