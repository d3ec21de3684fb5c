// Options every stage plugin shares: the devices its stages are bound to, the direction, the flow
// filters (either direction: request and reply of one flow both match), and the BCC originals'
// spellings as aliases so their command lines run unchanged.
import { type OptionSpec, vocabulary } from '../plugin/options.js';

const iface = (long: string, description: string, aliases?: string[]): OptionSpec<'interface'> => ({
  kind: 'interface',
  long,
  description,
  ...(aliases ? { aliases } : {}),
});

export const stageOptions = {
  phyInterface: () =>
    iface('phy-interface', 'the physical NIC (an OVS port): where packets enter or leave the host, named in --netns', ['phy-iface1']),
  internalInterface: () => iface('internal-interface', "the OVS internal port that holds the host's address, named in --netns"),
  vmInterface: () => iface('vm-interface', "the VM's tap (vnet) device, an OVS port, named in --netns"),
  direction: (description: string): OptionSpec<'enum'> =>
    vocabulary.direction({ choices: ['tx', 'rx', 'both'], default: 'both', description }),
  enableCt: (): OptionSpec<'flag'> => ({
    kind: 'flag',
    long: 'enable-ct',
    description: "also time OVS's ct() action and its conntrack lookup (hooks in openvswitch and nf_conntrack)",
    default: false,
  }),
  maxSessions: (): OptionSpec<'uint'> => ({
    kind: 'uint',
    long: 'max-sessions',
    description: 'packets followed at once (an LRU table: the oldest unfinished ones make room)',
    default: 10240,
    min: 64,
  }),
  /** `-t/--threshold` in microseconds, also `--latency-us` (details tools). */
  threshold: (): OptionSpec<'uint'> =>
    vocabulary.threshold({ description: 'stream only packets whose path took at least this long', aliases: ['latency-us'] }),
};

/** -s/-d/-S/-D/-p (with BCC's `--l4-protocol`). */
export function flowFilterOptions() {
  return {
    srcIp: vocabulary.srcIp({ description: 'one end of the flow (either direction)' }),
    dstIp: vocabulary.dstIp({ description: 'the other end of the flow (either direction)' }),
    srcPort: vocabulary.srcPort({ description: 'a port of the flow (either direction)' }),
    dstPort: vocabulary.dstPort({ description: 'the other port of the flow (either direction)' }),
    protocol: vocabulary.protocol({ aliases: ['l4-protocol'] }),
    netns: vocabulary.netns(),
  };
}

/** The devices and direction of the host path (system-network-*). */
export function hostPathOptions() {
  return {
    phyInterface: stageOptions.phyInterface(),
    internalInterface: stageOptions.internalInterface(),
    direction: stageOptions.direction("tx: from the host's sockets out of the NIC; rx: from the NIC to the sockets; both"),
  };
}

/** The devices and direction of a VM's path (vm-network-*). `tx` leaves the VM, as its user says
 * (the libbpf ports called that rx). */
export function vmPathOptions() {
  return {
    vmInterface: stageOptions.vmInterface(),
    phyInterface: stageOptions.phyInterface(),
    direction: stageOptions.direction('tx: leaving the VM (tap to NIC); rx: into the VM (NIC to tap); both'),
  };
}
