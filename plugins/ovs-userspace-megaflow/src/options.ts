// Options: the port's filters (-s -d -S -D -p, -v, --upcalls, --flows) with BCC's spellings as
// aliases, and BCC's Ethernet filters; their values as the BPF rodata takes them.
import { parseMac, vocabulary } from '@nettrace/core';

export const options = {
  srcIp: vocabulary.srcIp({ aliases: ['ip-src'] }),
  dstIp: vocabulary.dstIp({ aliases: ['ip-dst'] }),
  srcPort: vocabulary.srcPort({ aliases: ['l4-src-port'] }),
  dstPort: vocabulary.dstPort({ aliases: ['l4-dst-port'] }),
  protocol: vocabulary.protocol({ aliases: ['l4-protocol', 'ip-proto'] }),
  ethSrc: { kind: 'mac', long: 'eth-src', description: 'source MAC address (aa:bb:cc:dd:ee:ff)' } as const,
  ethDst: { kind: 'mac', long: 'eth-dst', description: 'destination MAC address' } as const,
  ethType: { kind: 'ethertype', long: 'eth-type', description: 'EtherType: 0x0800, 2048 or a name (ipv4, arp, ...)' } as const,
  upcalls: { kind: 'flag', long: 'upcalls', description: "stream upcall events only (the port's -u)", default: false } as const,
  flows: { kind: 'flag', long: 'flows', description: "stream FLOW_NEW events only (the port's -f)", default: false } as const,
  verbose: vocabulary.verbose({
    description: 'pid, comm, netlink port and MACs of each upcall; key and mask bytes of each FLOW_NEW',
    aliases: ['debug'],
  }),
};

/** The 6 bytes of a MAC option (parsed and checked with the options; absent: zero, no filter). */
export const macBytes = (text: string | undefined): Uint8Array => (text ? (parseMac(text) ?? new Uint8Array(6)) : new Uint8Array(6));
