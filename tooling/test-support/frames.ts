// Hand-made Ethernet frames for live-kernel tests that need exact L2 content (ARP, VLAN tags,
// unknown ethertypes): built here, sent from inside a namespace through an AF_PACKET socket
// (python3, present on every Debian), so they leave one veth end and arrive at the other.
import type { Netns } from '@nettrace/plugin-testing';

const mac = (text: string) => Buffer.from(text.replace(/:/g, ''), 'hex');
const ipv4 = (text: string) => Buffer.from(text.split('.').map(Number));

export interface EthernetSpec {
  dst: string;
  src: string;
  type: number;
  /** 802.1Q tag: VLAN id and priority (PCP). */
  vlan?: { id: number; prio?: number };
  payload: Buffer;
}

/** An Ethernet frame, padded to the 60-byte minimum. */
export function ethernet(f: EthernetSpec): Buffer {
  const parts: Buffer[] = [mac(f.dst), mac(f.src)];
  if (f.vlan) parts.push(Buffer.from([0x81, 0x00, ((f.vlan.prio ?? 0) << 5) | (f.vlan.id >> 8), f.vlan.id & 0xff]));
  parts.push(Buffer.from([f.type >> 8, f.type & 0xff]), f.payload);
  const frame = Buffer.concat(parts);
  return frame.length >= 60 ? frame : Buffer.concat([frame, Buffer.alloc(60 - frame.length)]);
}

/** ARP over Ethernet/IPv4 (op 1 request, 2 reply). */
export function arp(o: { op: number; senderMac: string; senderIp: string; targetMac?: string; targetIp: string }): Buffer {
  const head = Buffer.from([0, 1, 0x08, 0x00, 6, 4, 0, o.op]);
  return Buffer.concat([head, mac(o.senderMac), ipv4(o.senderIp), mac(o.targetMac ?? '00:00:00:00:00:00'), ipv4(o.targetIp)]);
}

/** IPv4 + UDP with a correct header checksum (UDP checksum 0: none). */
export function ipv4Udp(o: {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  payload?: Buffer;
  ttl?: number;
  id?: number;
}): Buffer {
  const payload = o.payload ?? Buffer.alloc(8);
  const ip = Buffer.alloc(20);
  ip.writeUInt8(0x45, 0);
  ip.writeUInt16BE(20 + 8 + payload.length, 2);
  ip.writeUInt16BE(o.id ?? 1, 4);
  ip.writeUInt8(o.ttl ?? 64, 8);
  ip.writeUInt8(17, 9);
  ipv4(o.src).copy(ip, 12);
  ipv4(o.dst).copy(ip, 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  ip.writeUInt16BE(~sum & 0xffff, 10);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(o.sport, 0);
  udp.writeUInt16BE(o.dport, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([ip, udp, payload]);
}

const SENDER = `
import binascii, socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
for line in sys.stdin.read().split():
    s.send(binascii.unhexlify(line))
`;

/** Sends `frames` out of `dev` inside `ns`, in order, one write each. */
export function sendFrames(ns: Netns, dev: string, frames: Buffer[]): void {
  ns.exec('python3', ['-c', SENDER, dev], frames.map((f) => f.toString('hex')).join('\n'));
}

/** The MAC address of a device inside a namespace. */
export function macOf(ns: Netns, dev: string): string {
  return ns.exec('cat', [`/sys/class/net/${dev}/address`]).trim();
}
