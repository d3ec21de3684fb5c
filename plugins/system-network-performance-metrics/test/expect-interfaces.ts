// The per-interface section against the packets that crossed the devices (their own counters,
// wire.tx/rx of the target flow): both the physical and the internal port passed every packet of
// the flow each way, and the kernel dropped none of them but the echo replies of the host's own
// ping (a raw-socket ping: the reply also reaches ping_rcv, which finds no ICMP socket and frees
// it as a drop, NO_SOCKET since 5.17).
import { expect } from 'vitest';

export interface IfcRow {
  interface: string;
  tx_packets: number;
  tx_bytes: number;
  rx_packets: number;
  rx_bytes: number;
  drops: number;
}

export function expectInterfaces(
  final: Record<string, unknown>,
  dev: { phy: string; internal: string },
  wire: { tx: number; rx: number },
  proto: string,
): Record<'phy' | 'internal', IfcRow> {
  const rows = final.interfaces as IfcRow[];
  const row = (name: string) => rows.find((r) => r.interface === name) as IfcRow;
  const phy = row(dev.phy);
  const internal = row(dev.internal);
  expect(phy, dev.phy).toMatchObject({ tx_packets: wire.tx, rx_packets: wire.rx, drops: 0 });
  // ICMP: the host pinged the peer and the peer the host, N each: half of what came in are replies.
  const replies = proto === 'icmp' ? wire.rx / 2 : 0;
  expect(internal, dev.internal).toMatchObject({ tx_packets: wire.tx, rx_packets: wire.rx, drops: replies });
  return { phy, internal };
}
