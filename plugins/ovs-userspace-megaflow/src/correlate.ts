// Which upcalls does an installed megaflow answer? A megaflow covers every packet whose key, masked
// by the megaflow's mask, equals its key masked the same way. The upcall events carry the fields
// of the flow key OVS extracted; written as the key attributes they correspond to, they are
// compared byte by byte under the FLOW_NEW's mask. Upcalls wait here (bounded, oldest first out)
// until a megaflow covers them or they age out.
import type { NtFlow } from '@nettrace/core';
import { type NlAttr, parseAttrs } from './ovs-flow-attrs.js';

export interface UpcallKey {
  ts_ns: number;
  in_port: number;
  recirc_id: number;
  skb_mark: number;
  eth_src: Uint8Array;
  eth_dst: Uint8Array;
  eth_type: number;
  flow: NtFlow;
}

const le32 = (n: number) => Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
const be16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** The upcall's bytes per key attribute (enum ovs_key_attr), as far as the event knows them:
 * a prefix of the attribute's payload (IPv4: addresses and protocol, not tos/ttl/frag). */
function upcallAttrs(u: UpcallKey): Map<number, Uint8Array> {
  const f = u.flow;
  const m = new Map<number, Uint8Array>([
    [3, le32(u.in_port)],
    [15, le32(u.skb_mark)],
    [20, le32(u.recirc_id)],
    [4, cat(u.eth_src, u.eth_dst)],
    [6, be16(u.eth_type)],
  ]);
  if (f.family === 2) m.set(7, cat(f.saddr.subarray(0, 4), f.daddr.subarray(0, 4), Uint8Array.of(f.protocol)));
  if (f.family === 10) m.set(8, cat(f.saddr, f.daddr));
  if (f.protocol === 6) m.set(9, cat(be16(f.sport), be16(f.dport)));
  if (f.protocol === 17) m.set(10, cat(be16(f.sport), be16(f.dport)));
  if (f.protocol === 1 && f.family === 2) m.set(11, Uint8Array.of(f.icmp_type, f.icmp_code));
  return m;
}

/** Whether the megaflow (key, mask attributes) covers the upcall's packet. */
export function covers(key: NlAttr[], mask: Map<number, Uint8Array> | undefined, u: UpcallKey): boolean {
  const known = upcallAttrs(u);
  for (const a of key) {
    const have = known.get(a.type);
    if (!have) continue;
    const m = mask ? mask.get(a.type) : undefined;
    if (mask && !m) continue; // wildcarded
    for (let i = 0; i < have.length && i < a.payload.length; i++) {
      const bits = m ? (m[i] ?? 0) : 0xff;
      if (((have[i] ?? 0) & bits) !== ((a.payload[i] ?? 0) & bits)) return false;
    }
  }
  return true;
}

/** Upcalls older than this are no longer offered to megaflows (an unanswered upcall). */
const MAX_AGE_NS = 10e9;
const MAX_PENDING = 4096;

export class UpcallCorrelator {
  private pending: UpcallKey[] = [];

  add(u: UpcallKey): void {
    this.pending.push(u);
    if (this.pending.length > MAX_PENDING) this.pending.shift();
  }

  /** The pending upcalls the megaflow covers, taken off the list (oldest first). */
  take(keyBytes: Uint8Array, maskBytes: Uint8Array | undefined, nowNs: number): UpcallKey[] {
    const key = parseAttrs(keyBytes);
    const mask = maskBytes ? new Map(parseAttrs(maskBytes).map((a) => [a.type, a.payload])) : undefined;
    const hit: UpcallKey[] = [];
    this.pending = this.pending.filter((u) => {
      if (nowNs - u.ts_ns > MAX_AGE_NS) return false;
      if (!covers(key, mask, u)) return true;
      hit.push(u);
      return false;
    });
    return hit;
  }
}
