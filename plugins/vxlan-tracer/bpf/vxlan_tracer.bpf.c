/* SPDX-License-Identifier: GPL-2.0 */
/* vxlan-tracer: which VXLAN-encapsulated packets are sent and received, with their VNI and their
 * outer and inner headers. Hooks: the vxlan driver's encapsulation and decapsulation points
 * (vxlan_xmit, vxlan_rcv: fentry, else kprobes), as BCC's tool; else, or with --wire, the wire:
 * net:net_dev_start_xmit (TX) and net:netif_receive_skb (RX), tp_btf where the kernel allows, else
 * tracepoints. Outer and inner packets are parsed by the shared parser (skb.bpf.h); the
 * address/port/protocol filters apply to the inner packet. */
#include "netdev.bpf.h"
#include "counters.bpf.h"
#include "buffer.bpf.h"
#include "gso.bpf.h"
#include "stack.bpf.h"
#include "function.bpf.h"
#include "modules/vxlan.bpf.h"

#define VXLAN_FLAG_VNI 0x08 /* "I" bit, first byte of the VXLAN header */

const volatile __u8 cfg_direction = 0; /* 0: both, 1: rx, 2: tx */
const volatile __u8 cfg_vni_set = 0;
const volatile __u32 cfg_vni = 0;
const volatile __u16 cfg_vxlan_port = 0; /* a non-standard UDP port, besides 4789 and 8472 */
const volatile __u8 cfg_stack = 0;

struct event {
    __u64 ts_ns;
    __u32 pid;
    __u32 cpu;
    __u32 netns;
    __u32 ifindex;
    __u32 len;
    __u32 vni;
    __u32 data_len; /* bytes in page frags and frag_list (skb->data_len) */
    __u32 gso_type; /* SKB_GSO_* bits: UDP_TUNNEL(_CSUM) on an offloaded encapsulation */
    __u16 gso_size;
    __u16 gso_segs;
    __u8 has_frag_list;
    __u8 nr_frags;
    __u8 point; /* enum vxt_point */
    __u8 _pad2;
    __s32 stack_id; /* `stacks` map id, a negative error, or -1 without --stack */
    __u8 direction;
    __u8 vxlan_flags;
    __u8 inner_dmac[6];
    __u8 inner_smac[6];
    __u16 _pad;
    char comm[NT_TASK_COMM_LEN];
    char ifname[NT_IFNAMSIZ];
    struct nt_flow outer;
    struct nt_flow inner;
};
NT_EXPORT_TYPE(struct event, event);

/* Packets reported per direction (the direction is also the counter), then their bytes (the
 * events' len: a GSO super-packet counts once, with all its bytes). */
enum vxt_dir { DIR_RX, DIR_TX, DIR_RX_BYTES, DIR_TX_BYTES, DIR_COUNT };
NT_COUNTERS(vxt_dir, DIR_COUNT);

/* The two parsed flows live here, not on the 512-byte stack. */
struct scratch {
    struct nt_flow outer;
    struct nt_flow inner;
};
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct scratch);
} scratch SEC(".maps");

static __always_inline bool vxlan_port(__u16 port) {
    return port == 4789 || port == 8472 || (cfg_vxlan_port && port == cfg_vxlan_port);
}

/* Where the packet was seen: on the wire (the tracepoints: outer headers, underlay device), at
 * encapsulation (vxlan_xmit: the inner frame on the VXLAN device, before it has outer headers) or
 * at decapsulation (vxlan_rcv: the whole packet, as on the wire). */
enum vxt_point { AT_WIRE, AT_ENCAP, AT_DECAP };
NT_EXPORT_TYPE(enum vxt_point, vxt_point);

/* What the hooks found in the packet, handed to report(). */
struct tunnel {
    const void *inner_l2; /* the inner Ethernet header */
    __u32 vni;
    __u8 flags; /* the VXLAN header's first byte; 0 at encapsulation (no header yet) */
};

static __always_inline struct scratch *scratch_cleared(void) {
    __u32 zero = 0;
    struct scratch *sc = bpf_map_lookup_elem(&scratch, &zero);
    if (sc)
        __builtin_memset(sc, 0, sizeof(*sc));
    return sc;
}

static __always_inline bool wanted(const struct tunnel *t, struct scratch *sc) {
    if (cfg_vni_set && t->vni != cfg_vni)
        return false;
    if (nt_parse_l2(t->inner_l2, &sc->inner) < 0 &&
        (cfg_src_ip_set || cfg_dst_ip_set || cfg_protocol || cfg_src_port || cfg_dst_port))
        return false;
    return nt_flow_match(&sc->inner);
}

/* A whole VXLAN packet (on the wire or at decapsulation): its outer IP/UDP headers, a UDP port
 * that is VXLAN's, a VXLAN header with a VNI. */
static __always_inline bool parse_encapsulated(struct sk_buff *skb, struct scratch *sc,
                                               struct tunnel *t) {
    __u16 ethertype = 0;
    const void *l3 = nt_skb_l3(skb, &ethertype);
    if (!l3)
        return false;
    const void *vx = nt_udp_payload(l3, ethertype);
    if (!vx || nt_parse_l3(l3, ethertype, &sc->outer) < 0 || !vxlan_port(sc->outer.dport))
        return false;
    /* The VXLAN header as it is on the wire (RFC 7348): a plain array, not vmlinux.h's struct
     * vxlanhdr, whose CO-RE relocation fails on kernels where vxlan is a module (5.10). */
    __u8 h[8];
    if (bpf_probe_read_kernel(h, sizeof(h), vx) || !(h[0] & VXLAN_FLAG_VNI))
        return false;
    t->flags = h[0];
    t->vni = ((__u32)h[4] << 16) | ((__u32)h[5] << 8) | h[6];
    t->inner_l2 = (const char *)vx + sizeof(h);
    return true;
}

static __always_inline int report(void *ctx, struct sk_buff *skb, const struct net_device *dev,
                                  __u8 dir, __u8 point, const struct tunnel *t,
                                  const struct scratch *sc) {
    struct event *e = nt_event_reserve(sizeof(*e));
    if (!e)
        return 0;
    e->ts_ns = bpf_ktime_get_ns();
    e->pid = nt_tgid();
    e->cpu = bpf_get_smp_processor_id();
    e->netns = nt_dev_netns(dev);
    e->ifindex = BPF_CORE_READ(dev, ifindex);
    __u32 len = nt_skb_frame_len(skb);
    e->len = len;
    e->vni = t->vni;
    e->direction = dir;
    e->vxlan_flags = t->flags;
    struct nt_gso g = {};
    nt_skb_gso(skb, &g);
    e->data_len = g.data_len;
    e->gso_type = g.gso_type;
    e->gso_size = g.gso_size;
    e->gso_segs = g.gso_segs;
    e->has_frag_list = g.frag_list != NULL;
    e->nr_frags = g.nr_frags;
    e->point = point;
    e->_pad2 = 0;
    e->stack_id = cfg_stack ? nt_kernel_stack(ctx) : -1;
    struct ethhdr eth = {};
    bpf_probe_read_kernel(&eth, sizeof(eth), t->inner_l2);
    __builtin_memcpy(e->inner_dmac, eth.h_dest, 6);
    __builtin_memcpy(e->inner_smac, eth.h_source, 6);
    e->_pad = 0;
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    nt_dev_name(dev, e->ifname);
    e->outer = sc->outer;
    e->inner = sc->inner;
    nt_event_submit(ctx, e);
    nt_count(dir, 1);
    nt_count(dir == DIR_RX ? DIR_RX_BYTES : DIR_TX_BYTES, len);
    return 0;
}

static __always_inline bool device_wanted(const struct net_device *dev, __u8 dir) {
    return (!cfg_direction || cfg_direction == dir + 1) && dev && nt_dev_match(dev);
}

/* A whole packet at `point` (the wire, or vxlan_rcv). */
static __always_inline int trace_encapsulated(void *ctx, struct sk_buff *skb,
                                              const struct net_device *dev, __u8 dir, __u8 point) {
    if (!device_wanted(dev, dir))
        return 0;
    /* Stacked underlays (a bridge, VLAN or bond over a NIC) can show one packet at each level
     * (transmit: each start_xmit; receive: a bridge hands the packet up through netif_receive_skb
     * again): without --interface, report it once, at the lowest device, the wire. */
    if (point == AT_WIRE && !cfg_ifindex && nt_dev_has_lower((struct net_device *)dev))
        return 0;
    struct scratch *sc = scratch_cleared();
    struct tunnel t = {};
    if (!sc || !parse_encapsulated(skb, sc, &t) || !wanted(&t, sc))
        return 0;
    return report(ctx, skb, dev, dir, point, &t, sc);
}

static __always_inline int on_receive(void *ctx, struct sk_buff *skb) {
    return trace_encapsulated(ctx, skb, BPF_CORE_READ(skb, dev), DIR_RX, AT_WIRE);
}

NT_SKB_EVENT_PROGRAMS(netif_receive_skb, nt_vxt_rx_btf, nt_vxt_rx_tp, on_receive)

static __always_inline int on_transmit(void *ctx, struct sk_buff *skb,
                                       const struct net_device *dev) {
    return trace_encapsulated(ctx, skb, dev, DIR_TX, AT_WIRE);
}

NT_START_XMIT_PROGRAMS(nt_vxt_tx_btf, nt_vxt_tx_tp, on_transmit)

/* Decapsulation: vxlan_rcv(sk, skb) gets the packet from the underlay's UDP socket with its outer
 * headers in place (BCC read the socket as the skb); skb->dev is still the underlay device. */
static __always_inline int on_decap(void *ctx, struct sock *sk, struct sk_buff *skb) {
    return trace_encapsulated(ctx, skb, BPF_CORE_READ(skb, dev), DIR_RX, AT_DECAP);
}

NT_FUNCTION_PROGRAMS(vxlan_rcv, nt_vxt_decap_fe, nt_vxt_decap_kp, on_decap, struct sock *, sk,
                     struct sk_buff *, skb)

/* Encapsulation: vxlan_xmit(skb, dev) gets the inner frame on the VXLAN device; the outer headers
 * do not exist yet, the VNI is the one it will be sent with. */
static __always_inline int on_encap(void *ctx, struct sk_buff *skb, struct net_device *dev) {
    if (!device_wanted(dev, DIR_TX))
        return 0;
    __u16 mh = BPF_CORE_READ(skb, mac_header);
    struct scratch *sc = scratch_cleared();
    if (!sc || mh == NT_NO_HEADER)
        return 0;
    struct tunnel t = {
        .inner_l2 = BPF_CORE_READ(skb, head) + mh,
        .vni = nt_vxlan_tx_vni(skb, dev),
    };
    if (!wanted(&t, sc))
        return 0;
    return report(ctx, skb, dev, DIR_TX, AT_ENCAP, &t, sc);
}

NT_FUNCTION_PROGRAMS(vxlan_xmit, nt_vxt_encap_fe, nt_vxt_encap_kp, on_encap, struct sk_buff *, skb,
                     struct net_device *, dev)
