// Link-layer formatting for plugins that decode whole frames (bpf-headers/nettrace/frame.bpf.h):
// MAC addresses, ethertype names, VLAN tags.

const HEX2 = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function formatMac(bytes: Uint8Array): string {
  // Per event on streaming paths: a table lookup per byte, no intermediate arrays.
  return `${HEX2[bytes[0]]}:${HEX2[bytes[1]]}:${HEX2[bytes[2]]}:${HEX2[bytes[3]]}:${HEX2[bytes[4]]}:${HEX2[bytes[5]]}`;
}

/** Parses a MAC address as users type it (aa:bb:cc:dd:ee:ff or aa-bb-…); undefined when it is not one. */
export function parseMac(text: string): Uint8Array | undefined {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-f]{1,2}$/i.test(p))) return undefined;
  return Uint8Array.from(parts.map((p) => Number.parseInt(p, 16)));
}

const ETHERTYPES: Record<number, string> = {
  2048: 'ipv4',
  2054: 'arp',
  32821: 'rarp',
  34525: 'ipv6',
  33024: '802.1q',
  34984: '802.1ad',
  35020: 'lldp',
  34824: 'flow_control',
  34887: 'mpls',
  34916: 'pppoe',
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
