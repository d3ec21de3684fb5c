// The paths the stage-latency plugins follow. Direction words are the user's: `tx` leaves the
// host's sockets (or the VM), `rx` comes in from the physical NIC. Stages on a device tracepoint
// name the device role they are bound to; the rest find their packet by its key.
import { NtStageHook } from '../shared_types.gen.js';
import type { Profile, StageSpec } from './profile.js';

const H = NtStageHook;

/** The Open vSwitch datapath, between a port's receive and its output (both directions). */
const ovsStages: StageSpec[] = [
  { name: 'frame-hook', hooks: [H.NT_SH_NETDEV_FRAME_HOOK], what: "OVS's rx handler took it from the receiving port device" },
  { name: 'vport-receive', hooks: [H.NT_SH_OVS_VPORT_RECEIVE], what: 'entered the datapath (ovs_vport_receive)' },
  { name: 'ovs-process', hooks: [H.NT_SH_OVS_DP_PROCESS], what: 'flow table lookup (ovs_dp_process_packet)' },
  {
    name: 'ovs-upcall',
    hooks: [H.NT_SH_OVS_DP_UPCALL],
    what: 'flow miss: queued to ovs-vswitchd (ovs_dp_upcall); absent on the fast path',
  },
  {
    name: 'ovs-execute',
    hooks: [H.NT_SH_OVS_KEY_EXTRACT_US],
    what: 'ovs-vswitchd sent it back to be executed (ovs_flow_key_extract_userspace); absent on the fast path',
    queued: true,
  },
  { name: 'ovs-ct', hooks: [H.NT_SH_OVS_CT_EXECUTE], enabledBy: 'enableCt', what: 'the ct() action starts (ovs_ct_execute)' },
  {
    name: 'conntrack',
    hooks: [H.NT_SH_NF_CONNTRACK_IN],
    after: 'ovs-ct',
    enabledBy: 'enableCt',
    what: 'conntrack lookup inside ct() (nf_conntrack_in)',
  },
  { name: 'vport-send', hooks: [H.NT_SH_OVS_VPORT_SEND], what: 'output to a port (ovs_vport_send)' },
];

const phyTransmit: StageSpec[] = [
  { name: 'phy-queue', hooks: [H.NT_SH_NET_DEV_QUEUE], device: 'phy', what: 'dev_queue_xmit() on the physical NIC (qdisc enqueue)' },
  {
    name: 'qdisc-dequeue',
    hooks: [H.NT_SH_QDISC_DEQUEUE],
    device: 'phy',
    what: "left the NIC's qdisc (absent when the qdisc was bypassed)",
  },
  { name: 'phy-xmit', hooks: [H.NT_SH_NET_DEV_START_XMIT], device: 'phy', what: "handed to the NIC's driver" },
];

const phyReceive: StageSpec = {
  name: 'phy-rx',
  hooks: [H.NT_SH_NETIF_RECEIVE_SKB],
  device: 'phy',
  what: 'the physical NIC delivered it to the stack (netif_receive_skb)',
};

/** The host's own traffic through an OVS internal port and the physical NIC (system-network-*). */
export const hostOvsProfile: Profile = {
  id: 'host-ovs',
  tx: [
    {
      name: 'ip-out',
      hooks: [H.NT_SH_IP_OUTPUT],
      what: 'its socket built the IPv4 packet, which leaves the IP layer (ip_output: TCP, UDP and ICMP alike)',
    },
    {
      name: 'internal-xmit',
      hooks: [H.NT_SH_NET_DEV_START_XMIT],
      device: 'internal',
      what: "handed to the OVS internal port's driver (internal_dev_xmit)",
    },
    ...ovsStages.slice(1),
    ...phyTransmit,
  ],
  rx: [
    phyReceive,
    ...ovsStages,
    {
      name: 'internal-rx',
      hooks: [H.NT_SH_INTERNAL_DEV_RECV],
      fallback: [H.NT_SH_NETIF_RX],
      device: 'internal',
      what: 'OVS handed it to the internal port, which queues it to a CPU backlog (internal_dev_recv / netif_rx)',
    },
    {
      name: 'backlog-rx',
      hooks: [H.NT_SH_NETIF_RECEIVE_SKB],
      device: 'internal',
      what: 'the backlog delivered it to the stack as received on the internal port (netif_receive_skb)',
      queued: true,
    },
    { name: 'ip-rcv', hooks: [H.NT_SH_IP_RCV], what: 'IPv4 receive (ip_rcv)' },
    {
      name: 'l4-rcv',
      hooks: [H.NT_SH_TCP_V4_RCV, H.NT_SH_UDP_RCV, H.NT_SH_ICMP_RCV],
      what: 'reached TCP, UDP or ICMP (tcp_v4_rcv, udp_rcv, icmp_rcv)',
    },
  ],
};

/** A VM's traffic between its tap (vnet) device and the physical NIC (vm-network-*). `tx` leaves
 * the VM: the host receives it on the tap. */
export const vmOvsProfile: Profile = {
  id: 'vm-ovs',
  tx: [
    {
      name: 'vm-rx',
      hooks: [H.NT_SH_NETIF_RECEIVE_SKB],
      device: 'vm',
      what: "the VM's tap delivered it to the host stack (netif_receive_skb)",
    },
    ...ovsStages,
    ...phyTransmit,
  ],
  rx: [
    phyReceive,
    ...ovsStages,
    { name: 'vm-queue', hooks: [H.NT_SH_NET_DEV_QUEUE], device: 'vm', what: "dev_queue_xmit() on the VM's tap (qdisc enqueue)" },
    {
      name: 'vm-qdisc-dequeue',
      hooks: [H.NT_SH_QDISC_DEQUEUE],
      device: 'vm',
      what: "left the tap's qdisc (absent when the qdisc was bypassed)",
      queued: true,
    },
    {
      name: 'vm-xmit',
      hooks: [H.NT_SH_NET_DEV_START_XMIT],
      device: 'vm',
      what: "handed to the tap's driver, which queues it for the VM (tun_net_xmit)",
    },
  ],
};

/** From OVS's output to an internal port up to TCP/UDP receive (system-network-rx-internal-latency):
 * the backlog between netif_rx and the stack is the asynchronous boundary. A session starts only
 * for a packet OVS outputs to the internal port (or, with the physical NIC named, one the NIC
 * received), never at every port's ovs_vport_send. */
export const rxInternalProfile: Profile = {
  id: 'rx-internal',
  rx: [
    { ...phyReceive, what: 'the physical NIC delivered it to the stack (netif_receive_skb; only with --phy-interface)' },
    {
      name: 'vport-send',
      hooks: [H.NT_SH_OVS_VPORT_SEND],
      device: 'internal',
      what: 'OVS output to the internal port (ovs_vport_send)',
    },
    { name: 'internal-rx', hooks: [H.NT_SH_INTERNAL_DEV_RECV], what: 'the internal port took it (internal_dev_recv)' },
    { name: 'netif-rx', hooks: [H.NT_SH_NETIF_RX_FN], device: 'internal', what: 'handed to the stack (netif_rx)' },
    {
      name: 'netif-rx-internal',
      hooks: [H.NT_SH_NETIF_RX_INTERNAL],
      fallback: [H.NT_SH_NETIF_RX],
      device: 'internal',
      what: 'a CPU backlog chosen, RPS applied (netif_rx_internal; net:netif_rx where kprobes are missing)',
    },
    {
      name: 'enqueue-backlog',
      hooks: [H.NT_SH_ENQUEUE_TO_BACKLOG],
      device: 'internal',
      what: "queued to that CPU's backlog (enqueue_to_backlog)",
    },
    {
      name: 'backlog-rx',
      hooks: [H.NT_SH_NETIF_RECEIVE_SKB_FN],
      fallback: [H.NT_SH_NETIF_RECEIVE_SKB],
      device: 'internal',
      what: "the backlog's softirq (process_backlog) took it out (__netif_receive_skb): the asynchronous boundary ends here",
      queued: true,
    },
    {
      name: 'receive-core',
      hooks: [H.NT_SH_NETIF_RECEIVE_SKB_CORE],
      device: 'internal',
      what: 'protocol dispatch (__netif_receive_skb_core, its skb through **pskb)',
    },
    { name: 'ip-rcv', hooks: [H.NT_SH_IP_RCV], what: 'IPv4 receive (ip_rcv)' },
    { name: 'ip-local-deliver', hooks: [H.NT_SH_IP_LOCAL_DELIVER], what: 'local delivery (ip_local_deliver)' },
    {
      name: 'l4-rcv',
      hooks: [H.NT_SH_TCP_V4_RCV, H.NT_SH_UDP_RCV, H.NT_SH_ICMP_RCV],
      what: 'reached TCP, UDP or ICMP (tcp_v4_rcv, udp_rcv, icmp_rcv)',
    },
  ],
};

/** enqueue_to_backlog -> __netif_receive_skb -> ip_rcv on one interface (enqueue-to-iprec-latency). */
export const enqueueToIprecProfile: Profile = {
  id: 'enqueue-to-iprec',
  rx: [
    {
      name: 'enqueue',
      hooks: [H.NT_SH_ENQUEUE_TO_BACKLOG],
      fallback: [H.NT_SH_NETIF_RX],
      device: 'internal',
      what: "queued to a CPU's backlog (enqueue_to_backlog; net:netif_rx where kprobes are missing)",
    },
    {
      name: 'netif-receive',
      hooks: [H.NT_SH_NETIF_RECEIVE_SKB_FN],
      fallback: [H.NT_SH_NETIF_RECEIVE_SKB],
      device: 'internal',
      what: 'the backlog processed it (__netif_receive_skb; net:netif_receive_skb where kprobes are missing)',
      queued: true,
    },
    { name: 'ip-rcv', hooks: [H.NT_SH_IP_RCV], what: 'IPv4 receive (ip_rcv)' },
  ],
};

/** ICMP echo round trips through the local kernel (kernel-icmp-rtt): one session follows a request
 * and its reply (the reply is keyed as its request, from the packets' own addresses, id and seq).
 * `tx`: we ping (request out, reply in); `rx`: we are pinged (request in, reply out). The
 * interface stages are bound to the `phy` role (the plugin's --interface). */
const echoOut = (leg: 'request' | 'reply'): StageSpec[] => [
  { name: 'ip-out', hooks: [H.NT_SH_IP_OUTPUT], leg, what: `the echo ${leg} leaves the IP layer (ip_output)` },
  { name: 'dev-queue', hooks: [H.NT_SH_NET_DEV_QUEUE], device: 'phy', leg, what: `dev_queue_xmit() of the echo ${leg} on the interface` },
  { name: 'dev-xmit', hooks: [H.NT_SH_NET_DEV_START_XMIT], device: 'phy', leg, what: `the echo ${leg} handed to the interface's driver` },
];
const echoIn = (leg: 'request' | 'reply'): StageSpec[] => [
  {
    name: 'dev-rx',
    hooks: [H.NT_SH_NETIF_RECEIVE_SKB],
    device: 'phy',
    leg,
    what: `the interface delivered the echo ${leg} to the stack (netif_receive_skb)`,
  },
  { name: 'ip-rcv', hooks: [H.NT_SH_IP_RCV], leg, what: `IPv4 receive of the echo ${leg} (ip_rcv)` },
  { name: 'icmp-rcv', hooks: [H.NT_SH_ICMP_RCV], leg, what: `ICMP receive of the echo ${leg} (icmp_rcv)` },
];
export const icmpRttProfile: Profile = {
  id: 'icmp-rtt',
  roundTrip: true,
  tx: [...echoOut('request'), ...echoIn('reply')],
  rx: [...echoIn('request'), ...echoOut('reply')],
};

/** ICMP echo round trips through an OVS internal port and the physical NIC (system-network-icmp-rtt):
 * seven stages per packet, as BCC's system_network_icmp_rtt stamped them. `tx`: the host pings from
 * the internal port's address (request out through OVS, reply in); `rx`: the host is pinged. The
 * OVS stages of the two packets are told apart by leg and named by the way the packet goes. */
const ovsStage = (name: string, suffix: 'out' | 'in', leg: 'request' | 'reply'): StageSpec => {
  const s = ovsStages.find((x) => x.name === name) as StageSpec;
  return { ...s, name: `${name}-${suffix}`, leg };
};
const ovsDatapath = (suffix: 'out' | 'in', leg: 'request' | 'reply') =>
  ['ovs-process', 'ovs-upcall', 'ovs-execute', 'vport-send'].map((n) => ovsStage(n, suffix, leg));
const ovsEchoOut = (leg: 'request' | 'reply'): StageSpec[] => [
  { name: 'ip-out', hooks: [H.NT_SH_IP_OUTPUT], leg, what: `the echo ${leg} leaves the IP layer (ip_output)` },
  {
    name: 'internal-xmit',
    hooks: [H.NT_SH_NET_DEV_START_XMIT],
    device: 'internal',
    leg,
    what: `the echo ${leg} handed to the OVS internal port's driver (internal_dev_xmit)`,
  },
  ...ovsDatapath('out', leg),
  {
    name: 'phy-queue',
    hooks: [H.NT_SH_NET_DEV_QUEUE],
    device: 'phy',
    leg,
    what: `dev_queue_xmit() of the echo ${leg} on the physical NIC`,
  },
];
const ovsEchoIn = (leg: 'request' | 'reply'): StageSpec[] => [
  { ...phyReceive, leg, what: `the physical NIC delivered the echo ${leg} to the stack (netif_receive_skb)` },
  { ...(ovsStages[0] as StageSpec), leg },
  ...ovsDatapath('in', leg),
  { name: 'icmp-rcv', hooks: [H.NT_SH_ICMP_RCV], leg, what: `ICMP receive of the echo ${leg} (icmp_rcv)` },
];
export const ovsIcmpRttProfile: Profile = {
  id: 'ovs-icmp-rtt',
  roundTrip: true,
  tx: [...ovsEchoOut('request'), ...ovsEchoIn('reply')],
  rx: [...ovsEchoIn('request'), ...ovsEchoOut('reply')],
};
