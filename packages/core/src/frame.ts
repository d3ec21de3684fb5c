// Link-layer formatting for plugins that decode whole frames (bpf-headers/nettrace/frame.bpf.h):
// MAC addresses, ethertype names, VLAN tags.

export function formatMac(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(':');
}

const ETHERTYPES: Record<number, string> = {
  0x0800: 'ipv4',
  0x0806: 'arp',
  0x8035: 'rarp',
  0x86dd: 'ipv6',
  0x8100: '802.1q',
  0x88a8: '802.1ad',
  0x88cc: 'lldp',
  0x8808: 'flow_control',
  0x8847: 'mpls',
  0x8864: 'pppoe',
};

/** "ipv4", "arp", ... or "0x88b5" for types without a name here. */
export function ethertypeName(type: number): string {
  return ETHERTYPES[type] ?? `0x${type.toString(16).padStart(4, '0')}`;
}

/** Parses what users type for an ethertype: a name above or a number (0x88b5, 34997). */
export function parseEthertype(text: string): number | undefined {
  const t = text.toLowerCase();
  const named = Object.entries(ETHERTYPES).find(([, n]) => n === t || n.replace('_', '-') === t);
  if (named) return Number(named[0]);
  if (/^0x[0-9a-f]{1,4}$/.test(t) || /^\d{1,5}$/.test(t)) {
    const n = Number(t);
    return n <= 0xffff ? n : undefined;
  }
  return undefined;
}

/** VLAN TCI → id, priority (PCP) and drop-eligible bit. */
export function vlanFields(tci: number): { vlan_id: number; vlan_prio: number; vlan_dei: boolean } {
  return { vlan_id: tci & 0xfff, vlan_prio: tci >> 13, vlan_dei: Boolean(tci & 0x1000) };
}
