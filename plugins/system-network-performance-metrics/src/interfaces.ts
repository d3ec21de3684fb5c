// The libbpf port's per-interface counters, kept as a report section: packets and bytes of the
// filtered flow each interface of the run transmitted and received, and the packets the kernel
// dropped while they belonged to it (the BPF side is in the plugin's .bpf.c).
import { entriesSinceLastReport, type InterfaceValue, type RunContext, reportPeriod, tableSection } from '@nettrace/core';
import { type contract, IfcCountsLayout, IfcKeyLayout } from './system_network_performance_metrics.gen.js';

const COUNTS = ['tx_packets', 'tx_bytes', 'rx_packets', 'rx_bytes', 'drops'] as const;

/** --interface, else the run's physical and internal ports (at most the kernel's four slots). */
export function countedInterfaces(o: {
  iface?: InterfaceValue;
  phyInterface?: InterfaceValue;
  internalInterface?: InterfaceValue;
}): InterfaceValue[] {
  const list = o.iface ? [o.iface] : [o.phyInterface, o.internalInterface];
  return list.filter((i): i is InterfaceValue => i !== undefined);
}

export function interfacesSection(ctx: RunContext<unknown, typeof contract>, ifaces: InterfaceValue[]) {
  const read = entriesSinceLastReport(ctx, 'interfaces', ctx.entries('ifc_counts', IfcKeyLayout, IfcCountsLayout), COUNTS);
  const byIfindex = new Map(read.map((e) => [e.key.ifindex, e.value]));
  const rows = ifaces.map((i) => {
    const c = byIfindex.get(i.ifindex);
    return { interface: i.name, ifindex: i.ifindex, ...Object.fromEntries(COUNTS.map((k) => [k, c?.[k] ?? 0])) };
  });
  return tableSection(
    'interfaces',
    `Per interface, packets of the flow (${reportPeriod(ctx)}): sent to the driver, received, dropped by the kernel`,
    [
      { key: 'interface', header: 'INTERFACE' },
      { key: 'tx_packets', header: 'TX_PKTS' },
      { key: 'tx_bytes', header: 'TX_BYTES' },
      { key: 'rx_packets', header: 'RX_PKTS' },
      { key: 'rx_bytes', header: 'RX_BYTES' },
      { key: 'drops', header: 'DROPS' },
    ],
    rows,
  );
}
