// Names of the SKB_GSO_* bits of skb_shinfo()->gso_type (bpf-headers/nettrace/gso.bpf.h), shared
// by the tools that follow frag_list and gso_type. An anonymous enum in the kernel, so no BTF name
// to look it up by: bits 0-18 have had these meanings since 5.6 (FRAGLIST), TCP_ACCECN is 6.18's
// bit 19, and 6.18 moved TCP_FIXEDID to bit 30 (its old bit 3 is then __SKB_GSO_TCP_FIXEDID).
const GSO_BITS: Record<number, string> = {
  0: 'TCPV4',
  1: 'DODGY',
  2: 'TCP_ECN',
  3: 'TCP_FIXEDID',
  4: 'TCPV6',
  5: 'FCOE',
  6: 'GRE',
  7: 'GRE_CSUM',
  8: 'IPXIP4',
  9: 'IPXIP6',
  10: 'UDP_TUNNEL',
  11: 'UDP_TUNNEL_CSUM',
  12: 'PARTIAL',
  13: 'TUNNEL_REMCSUM',
  14: 'SCTP',
  15: 'ESP',
  16: 'UDP',
  17: 'UDP_L4',
  18: 'FRAGLIST',
  19: 'TCP_ACCECN',
  30: 'TCP_FIXEDID',
  31: 'TCP_FIXEDID_INNER',
};

/** The SKB_GSO_* names of the bits set in `gsoType` (unknown bits as BIT<n>). */
export function gsoTypeFlags(gsoType: number): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < 32; bit++) if (gsoType & (2 ** bit)) out.push(GSO_BITS[bit] ?? `BIT${bit}`);
  return out;
}

/** SKB_GSO_UDP_TUNNEL | SKB_GSO_UDP_TUNNEL_CSUM. */
export const GSO_UDP_TUNNEL_BITS = (1 << 10) | (1 << 11);
