/* SPDX-License-Identifier: GPL-2.0 */
/* Whole-frame decoding for tools that show what a packet looked like (eth-drop and friends): the
 * Ethernet header (MACs, one in-frame VLAN tag, or the tag the stack moved into skb metadata),
 * the L3 address to hand to nt_parse_l3() (skb.bpf.h), IP header details and ARP.
 *
 * The Ethernet header is only read when the skb really has one at mac_header: the offset is set,
 * leaves room for 14 bytes before the network header, and the device is Ethernet-like (or
 * unknown). On transmit paths before the device layer there is none, and the upstream decoded
 * the IP header as if it were Ethernet; here `flags` says NT_L2_ETH is absent instead. */
#pragma once
#include "skb.bpf.h"

#define NT_ETH_P_ARP 0x0806
#define NT_ETH_P_RARP 0x8035
#define NT_ARPHRD_ETHER 1
#define NT_ARPHRD_LOOPBACK 772

/* Bits of struct nt_l2.flags (@nettrace/core exports them as NtL2Flag). */
enum nt_l2_flag {
    NT_L2_ETH = 1,         /* dst/src/ethertype come from an Ethernet header */
    NT_L2_VLAN = 2,        /* a VLAN tag was found (vlan_proto/vlan_tci valid) */
    NT_L2_VLAN_OFFLOAD = 4 /* ... held in skb metadata (stripped from the frame by the stack) */
};

struct nt_l2 {
    __u8 dst[6];
    __u8 src[6];
    __u16 ethertype;  /* the L3 protocol (after a VLAN tag), host order; skb->protocol without L2 */
    __u16 vlan_proto; /* 0x8100 / 0x88a8 when NT_L2_VLAN */
    __u16 vlan_tci;   /* priority (3 bits), DEI, VLAN id (12 bits) */
    __u8 flags;       /* NT_L2_* */
    __u8 _pad;
};

/* ARP/RARP over Ethernet + IPv4 (the layout is only decoded when hlen == 6 and plen == 4). */
struct nt_arp {
    __u16 htype;
    __u16 ptype;
    __u8 hlen;
    __u8 plen;
    __u16 op;
    __u8 sha[6];
    __u8 spa[4];
    __u8 tha[6];
    __u8 tpa[4];
};

/* IP header fields beyond the flow: IPv4 ttl/tos/id, IPv6 hop limit/traffic class/flow label. */
struct nt_ip_info {
    __u8 ttl;         /* IPv6: hop limit */
    __u8 tos;         /* IPv6: traffic class */
    __u16 id;         /* IPv4 identification (host order) */
    __u32 flow_label; /* IPv6 */
};

/* Old kernels kept "tag present" in a bit (vlan_present, until 6.1); newer ones use vlan_all != 0.
 */
struct sk_buff___nt_vlan_bit {
    __u8 vlan_present : 1;
} __attribute__((preserve_access_index));

static __always_inline bool nt_skb_vlan_offloaded(struct sk_buff *skb) {
    struct sk_buff___nt_vlan_bit *old = (void *)skb;
    if (bpf_core_field_exists(old->vlan_present))
        return BPF_CORE_READ_BITFIELD_PROBED(old, vlan_present);
    return BPF_CORE_READ(skb, vlan_proto) != 0;
}

/* Reads the skb's link-layer view into `l2` and returns the address of its L3 header (NULL when
 * none can be located). `l2->ethertype` is the protocol to parse that header with. */
static __always_inline const void *nt_skb_frame(struct sk_buff *skb, struct nt_l2 *l2) {
    unsigned char *head = BPF_CORE_READ(skb, head);
    __u16 mh = BPF_CORE_READ(skb, mac_header);
    __u16 nh = BPF_CORE_READ(skb, network_header);
    struct net_device *dev = BPF_CORE_READ(skb, dev);
    __u16 dev_type = dev ? BPF_CORE_READ(dev, type) : NT_ARPHRD_ETHER;
    const unsigned char *l3 = 0;

    l2->ethertype = bpf_ntohs(BPF_CORE_READ(skb, protocol));
    if (mh != NT_NO_HEADER && (nh == NT_NO_HEADER || nh >= mh + sizeof(struct ethhdr)) &&
        (dev_type == NT_ARPHRD_ETHER || dev_type == NT_ARPHRD_LOOPBACK)) {
        struct ethhdr eth;
        if (bpf_probe_read_kernel(&eth, sizeof(eth), head + mh) == 0) {
            __builtin_memcpy(l2->dst, eth.h_dest, 6);
            __builtin_memcpy(l2->src, eth.h_source, 6);
            l2->ethertype = bpf_ntohs(eth.h_proto);
            l2->flags |= NT_L2_ETH;
            l3 = head + mh + sizeof(eth);
            if (l2->ethertype == NT_ETH_P_8021Q || l2->ethertype == NT_ETH_P_8021AD) {
                __be16 tag[2]; /* TCI, encapsulated ethertype */
                if (bpf_probe_read_kernel(tag, sizeof(tag), l3) == 0) {
                    l2->vlan_proto = l2->ethertype;
                    l2->vlan_tci = bpf_ntohs(tag[0]);
                    l2->ethertype = bpf_ntohs(tag[1]);
                    l2->flags |= NT_L2_VLAN;
                    l3 += 4;
                }
            }
        }
    }
    if (nh != NT_NO_HEADER && (!l3 || head + nh >= l3))
        l3 = head + nh; /* the stack's own view wins (e.g. after more tags) */
    if (!l3)
        l3 = BPF_CORE_READ(skb, data);
    if (!(l2->flags & NT_L2_VLAN) && nt_skb_vlan_offloaded(skb)) {
        l2->vlan_proto = bpf_ntohs(BPF_CORE_READ(skb, vlan_proto));
        l2->vlan_tci = BPF_CORE_READ(skb, vlan_tci);
        l2->flags |= NT_L2_VLAN | NT_L2_VLAN_OFFLOAD;
    }
    return l3;
}

static __always_inline int nt_parse_arp(const void *l3, struct nt_arp *a) {
    struct arphdr h;
    if (bpf_probe_read_kernel(&h, sizeof(h), l3))
        return -1;
    a->htype = bpf_ntohs(h.ar_hrd);
    a->ptype = bpf_ntohs(h.ar_pro);
    a->hlen = h.ar_hln;
    a->plen = h.ar_pln;
    a->op = bpf_ntohs(h.ar_op);
    if (h.ar_hln != 6 || h.ar_pln != 4)
        return 0;
    __u8 body[20]; /* sha, spa, tha, tpa */
    if (bpf_probe_read_kernel(body, sizeof(body), (const char *)l3 + sizeof(h)))
        return 0;
    __builtin_memcpy(a->sha, body, 6);
    __builtin_memcpy(a->spa, body + 6, 4);
    __builtin_memcpy(a->tha, body + 10, 6);
    __builtin_memcpy(a->tpa, body + 16, 4);
    return 0;
}

static __always_inline int nt_parse_ip_info(const void *l3, __u16 ethertype, struct nt_ip_info *i) {
    if (ethertype == NT_ETH_P_IP) {
        struct iphdr ip;
        if (bpf_probe_read_kernel(&ip, sizeof(ip), l3))
            return -1;
        i->ttl = ip.ttl;
        i->tos = ip.tos;
        i->id = bpf_ntohs(ip.id);
        return 0;
    }
    if (ethertype == NT_ETH_P_IPV6) {
        __u8 hop[8]; /* version (4), traffic class (8), flow label (20), payload len, next, hop
                        limit */
        if (bpf_probe_read_kernel(hop, sizeof(hop), l3))
            return -1;
        __u32 w = ((__u32)hop[0] << 24) | ((__u32)hop[1] << 16) | ((__u32)hop[2] << 8) | hop[3];
        i->tos = (w >> 20) & 0xff;
        i->flow_label = w & 0xfffff;
        i->ttl = hop[7];
        return 0;
    }
    return -1;
}
